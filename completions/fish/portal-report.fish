# fish completion for portal-report(1); installed in share/fish/vendor_completions.d.

set -l verbs progress attendance student coverage nightly

# No file names unless an argument is a file.
complete -c portal-report -f

# Options of every verb, before or after the verb.
complete -c portal-report -l db -r -F -d 'The store'
complete -c portal-report -l actor -x -d 'Who acts: staff login or os_user'
complete -c portal-report -l format -x -a 'csv table json xlsx' -d 'Output format'
complete -c portal-report -s o -l output -r -F -d 'Write the output to a file (- for standard output)'
complete -c portal-report -s q -l quiet -d 'No notes or warnings on standard error'
complete -c portal-report -l excel -d 'CSV for Excel on a Russian Windows'
complete -c portal-report -l help -d 'Print the usage'
complete -c portal-report -n "not __fish_seen_subcommand_from $verbs" -l version -d 'Print the version'

# Verbs.
complete -c portal-report -n "not __fish_seen_subcommand_from $verbs" -a progress -d 'Success, quality, СОУ and averages per subject'
complete -c portal-report -n "not __fish_seen_subcommand_from $verbs" -a attendance -d 'Lessons missed, late and attended share per student'
complete -c portal-report -n "not __fish_seen_subcommand_from $verbs" -a student -d 'One student\'s figures'
complete -c portal-report -n "not __fish_seen_subcommand_from $verbs" -a coverage -d 'Per class: accounts, consents, extracts, acknowledged'
complete -c portal-report -n "not __fish_seen_subcommand_from $verbs" -a nightly -d 'For cron: a workbook per class and summary.csv'

# The class and the dates.
complete -c portal-report -n '__fish_seen_subcommand_from progress attendance coverage' -l class -x -d 'Only this class (e.g. 7А)'
complete -c portal-report -n '__fish_seen_subcommand_from progress attendance student coverage' -l period -x -d 'The dates of this period (e.g. 2 четверть)'
complete -c portal-report -n '__fish_seen_subcommand_from progress attendance student' -l from -x -d 'The first date (YYYY-MM-DD or DD.MM.YYYY)'
complete -c portal-report -n '__fish_seen_subcommand_from progress attendance student' -l to -x -d 'The last date (YYYY-MM-DD or DD.MM.YYYY)'

# progress --by subject|student
complete -c portal-report -n '__fish_seen_subcommand_from progress' -l by -x -a 'subject\t"A row per class and subject" student\t"A row per student and subject"' -d 'A row per subject or per student'

# student --student S ("progress --by student" is not the verb)
complete -c portal-report -n '__fish_seen_subcommand_from student; and not __fish_seen_subcommand_from progress' -l student -x -d 'The student id'

# nightly --out DIR [--date D]
complete -c portal-report -n '__fish_seen_subcommand_from nightly' -l out -x -a '(__fish_complete_directories)' -d 'The directory of the reports'
complete -c portal-report -n '__fish_seen_subcommand_from nightly' -l date -x -d 'The day to report up to (YYYY-MM-DD or DD.MM.YYYY)'
