# fish completion for portal-ack(1); installed in share/fish/vendor_completions.d.

set -l verbs record scan import pending status

# No file names unless an argument is a file.
complete -c portal-ack -f

# Options of every verb, before or after the verb.
complete -c portal-ack -l db -r -F -d 'The store'
complete -c portal-ack -l actor -x -d 'Who acts: staff login or os_user'
complete -c portal-ack -l format -x -a 'csv table json' -d 'Output format'
complete -c portal-ack -s o -l output -r -F -d 'Write the output to a file'
complete -c portal-ack -s q -l quiet -d 'No notes or warnings on standard error'
complete -c portal-ack -l excel -d 'CSV for Excel on a Russian Windows'
complete -c portal-ack -l help -d 'Print the usage'
complete -c portal-ack -n "not __fish_seen_subcommand_from $verbs" -l version -d 'Print the version'

# Verbs.
complete -c portal-ack -n "not __fish_seen_subcommand_from $verbs" -a record -d 'Register codes typed from the slips (all or nothing)'
complete -c portal-ack -n "not __fish_seen_subcommand_from $verbs" -a scan -d 'Codes from a barcode scanner, each answered at once'
complete -c portal-ack -n "not __fish_seen_subcommand_from $verbs" -a import -d 'Acknowledgements from a file'
complete -c portal-ack -n "not __fish_seen_subcommand_from $verbs" -a pending -d 'Extracts not acknowledged yet'
complete -c portal-ack -n "not __fish_seen_subcommand_from $verbs" -a status -d 'Per class: extracts, acknowledged, pending'

# record CODE... [--on DATE] [--channel C] [--guardian G] [--dry-run], scan [--on DATE] [--channel C] [--dry-run]
complete -c portal-ack -n '__fish_seen_subcommand_from record scan' -l on -x -d 'The day they were read (YYYY-MM-DD or DD.MM.YYYY)'
complete -c portal-ack -n '__fish_seen_subcommand_from record scan' -l channel -x -a 'paper\t"Signed on paper" email\t"An answer to the e-mail" web\t"On the portal"' -d 'How they came back'
complete -c portal-ack -n '__fish_seen_subcommand_from record' -l guardian -x -d 'The guardian id who read them'
complete -c portal-ack -n '__fish_seen_subcommand_from record scan' -l dry-run -d 'Check the codes, register nothing'

# import FILE
complete -c portal-ack -n '__fish_seen_subcommand_from import' -F
complete -c portal-ack -n '__fish_seen_subcommand_from import' -l dry-run -d 'Print the acknowledgements as CSV, write nothing'
complete -c portal-ack -n '__fish_seen_subcommand_from import' -l rejects -r -F -d 'Apply the good rows, bad ones to this file'
complete -c portal-ack -n '__fish_seen_subcommand_from import' -l encoding -x -a 'utf-8 cp1251' -d 'Encoding of the input file'
complete -c portal-ack -n '__fish_seen_subcommand_from import' -l delimiter -x -a ', \; tab' -d 'Field separator of the input file'

# pending [--class C] [--period P] [--fail-if-any], status [--class C] [--period P]
complete -c portal-ack -n '__fish_seen_subcommand_from pending status' -l class -x -d 'Only this class (e.g. 7А)'
complete -c portal-ack -n '__fish_seen_subcommand_from pending status' -l period -x -d 'Only the extracts of this period (e.g. 2 четверть)'
complete -c portal-ack -n '__fish_seen_subcommand_from pending' -l fail-if-any -d 'Exit 1 when there are any'
