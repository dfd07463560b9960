# fish completion for portal-journal(1); installed in share/fish/vendor_completions.d.

set -l verbs periods import

# No file names unless an argument is a file.
complete -c portal-journal -f

# Options of every verb, before or after the verb.
complete -c portal-journal -l db -r -F -d 'The store'
complete -c portal-journal -l actor -x -d 'Who acts: staff login or os_user'
complete -c portal-journal -l format -x -a 'csv table json' -d 'Output format'
complete -c portal-journal -s o -l output -r -F -d 'Write the output to a file'
complete -c portal-journal -s q -l quiet -d 'No notes or warnings on standard error'
complete -c portal-journal -l excel -d 'CSV for Excel on a Russian Windows'
complete -c portal-journal -l help -d 'Print the usage'
complete -c portal-journal -n "not __fish_seen_subcommand_from $verbs" -l version -d 'Print the version'

# Verbs.
complete -c portal-journal -n "not __fish_seen_subcommand_from $verbs" -a periods -d 'Import or list the periods of the year'
complete -c portal-journal -n "not __fish_seen_subcommand_from $verbs" -a import -d 'Load marks from a file'

# periods import|list ("import" here is the sub-verb of periods)
complete -c portal-journal -n '__fish_seen_subcommand_from periods; and not __fish_seen_subcommand_from import list' -a import -d 'Load the periods (name,start,end)'
complete -c portal-journal -n '__fish_seen_subcommand_from periods; and not __fish_seen_subcommand_from import list' -a list -d 'List the periods'

# import marks
complete -c portal-journal -n '__fish_seen_subcommand_from import; and not __fish_seen_subcommand_from periods marks' -a marks -d 'Marks (student_id,subject,date,value,...)'

# The verbs that read a data file: periods import FILE, import marks FILE.
set -l reading '__fish_seen_subcommand_from periods marks; and __fish_seen_subcommand_from import'
complete -c portal-journal -n $reading -F
complete -c portal-journal -n $reading -l dry-run -d 'Print the changes as CSV, write nothing'
complete -c portal-journal -n $reading -l rejects -r -F -d 'Apply the good rows, bad ones to this file'
complete -c portal-journal -n $reading -l encoding -x -a 'utf-8 cp1251' -d 'Encoding of the input file'
complete -c portal-journal -n $reading -l delimiter -x -a ', \; tab' -d 'Field separator of the input file'
