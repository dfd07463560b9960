# fish completion for portal-consent(1); installed in share/fish/vendor_completions.d.

set -l verbs record import status missing history

# No file names unless an argument is a file.
complete -c portal-consent -f

# Options of every verb, before or after the verb.
complete -c portal-consent -l db -r -F -d 'The store'
complete -c portal-consent -l actor -x -d 'Who acts: staff login or os_user'
complete -c portal-consent -l format -x -a 'csv table json' -d 'Output format'
complete -c portal-consent -s o -l output -r -F -d 'Write the output to a file'
complete -c portal-consent -s q -l quiet -d 'No notes or warnings on standard error'
complete -c portal-consent -l excel -d 'CSV for Excel on a Russian Windows'
complete -c portal-consent -l help -d 'Print the usage'
complete -c portal-consent -n "not __fish_seen_subcommand_from $verbs" -l version -d 'Print the version'

# Verbs.
complete -c portal-consent -n "not __fish_seen_subcommand_from $verbs" -a record -d 'Record a decision of a guardian'
complete -c portal-consent -n "not __fish_seen_subcommand_from $verbs" -a import -d 'Record decisions from a file'
complete -c portal-consent -n "not __fish_seen_subcommand_from $verbs" -a status -d 'Standing decision and channel of each guardian'
complete -c portal-consent -n "not __fish_seen_subcommand_from $verbs" -a missing -d 'Guardians with no decision on record'
complete -c portal-consent -n "not __fish_seen_subcommand_from $verbs" -a history -d 'Every decision recorded for a guardian'

# record --guardian G [--student S] --decision D --signed-on DATE [--form F] [--doc REF] [--dry-run]
complete -c portal-consent -n '__fish_seen_subcommand_from record history' -l guardian -x -d 'The guardian id'
complete -c portal-consent -n '__fish_seen_subcommand_from record status' -l student -x -d 'Only this student id'
complete -c portal-consent -n '__fish_seen_subcommand_from record' -l decision -x -a 'given refused withdrawn' -d 'The decision'
complete -c portal-consent -n '__fish_seen_subcommand_from record' -l signed-on -x -d 'The day it was signed (YYYY-MM-DD or DD.MM.YYYY)'
complete -c portal-consent -n '__fish_seen_subcommand_from record' -l form -x -a 'paper electronic' -d 'How it was given'
complete -c portal-consent -n '__fish_seen_subcommand_from record' -l doc -x -d 'The reference of the document'
complete -c portal-consent -n '__fish_seen_subcommand_from record' -l dry-run -d 'Check the decision, write nothing'

# import FILE
complete -c portal-consent -n '__fish_seen_subcommand_from import' -F
complete -c portal-consent -n '__fish_seen_subcommand_from import' -l dry-run -d 'Print the records as CSV, write nothing'
complete -c portal-consent -n '__fish_seen_subcommand_from import' -l rejects -r -F -d 'Apply the good rows, bad ones to this file'
complete -c portal-consent -n '__fish_seen_subcommand_from import' -l encoding -x -a 'utf-8 cp1251' -d 'Encoding of the input file'
complete -c portal-consent -n '__fish_seen_subcommand_from import' -l delimiter -x -a ', \; tab' -d 'Field separator of the input file'

# status [--class C] [--student S], missing [--class C] [--fail-if-any]
complete -c portal-consent -n '__fish_seen_subcommand_from status missing' -l class -x -d 'Only this class (e.g. 7А)'
complete -c portal-consent -n '__fish_seen_subcommand_from missing' -l fail-if-any -d 'Exit 1 when there are any'
complete -c portal-consent -n '__fish_seen_subcommand_from status missing' -F
complete -c portal-consent -n '__fish_seen_subcommand_from status missing' -l encoding -x -a 'utf-8 cp1251' -d 'Encoding of the piped file'
complete -c portal-consent -n '__fish_seen_subcommand_from status missing' -l delimiter -x -a ', \; tab' -d 'Field separator of the piped file'
