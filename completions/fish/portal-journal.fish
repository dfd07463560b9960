# fish completion for portal-journal(1); installed in share/fish/vendor_completions.d.

set -l verbs periods import show teachers
set -l kinds marks attendance lessons schedule changes tests holidays recommendations finals

# No file names unless an argument is a file.
complete -c portal-journal -f

# Options of every verb, before or after the verb; show also writes workbooks.
complete -c portal-journal -l db -r -F -d 'The store'
complete -c portal-journal -l actor -x -d 'Who acts: staff login or os_user'
complete -c portal-journal -n 'not __fish_seen_subcommand_from show' -l format -x -a 'csv table json' -d 'Output format'
complete -c portal-journal -s o -l output -r -F -d 'Write the output to a file'
complete -c portal-journal -s q -l quiet -d 'No notes or warnings on standard error'
complete -c portal-journal -l excel -d 'CSV for Excel on a Russian Windows'
complete -c portal-journal -l help -d 'Print the usage'
complete -c portal-journal -n "not __fish_seen_subcommand_from $verbs" -l version -d 'Print the version'

# Verbs.
complete -c portal-journal -n "not __fish_seen_subcommand_from $verbs" -a periods -d 'Import or list the periods of the year'
complete -c portal-journal -n "not __fish_seen_subcommand_from $verbs" -a import -d 'Load journal data from a file'
complete -c portal-journal -n "not __fish_seen_subcommand_from $verbs" -a show -d 'The class journal, read-only'
complete -c portal-journal -n "not __fish_seen_subcommand_from $verbs" -a teachers -d 'Who teaches a class what'

# periods import|list ("import" here is the sub-verb of periods)
complete -c portal-journal -n '__fish_seen_subcommand_from periods; and not __fish_seen_subcommand_from import list' -a import -d 'Load the periods (name,start,end)'
complete -c portal-journal -n '__fish_seen_subcommand_from periods; and not __fish_seen_subcommand_from import list' -a list -d 'List the periods'

# import marks|attendance|lessons|schedule|changes|tests|holidays|recommendations|finals
set -l choosing "__fish_seen_subcommand_from import; and not __fish_seen_subcommand_from periods $kinds"
complete -c portal-journal -n $choosing -a marks -d 'Marks (student_id,subject,date,value,...)'
complete -c portal-journal -n $choosing -a attendance -d 'Attendance (student_id,date,code,lesson_no,subject)'
complete -c portal-journal -n $choosing -a lessons -d 'Lessons and homework (class,group,subject,date,...)'
complete -c portal-journal -n $choosing -a schedule -d 'The timetable (class,weekday,lesson_no,...), admin'
complete -c portal-journal -n $choosing -a changes -d 'Substitutions, moved and cancelled lessons, admin'
complete -c portal-journal -n $choosing -a tests -d 'The test schedule (class,subject,date,topic)'
complete -c portal-journal -n $choosing -a holidays -d 'Holidays (name,start,end,grades), admin'
complete -c portal-journal -n $choosing -a recommendations -d 'Teachers\' recommendations (student_id,date,text,...)'
complete -c portal-journal -n $choosing -a finals -d 'Final marks (student_id,subject,period,value)'

# The verbs that read a data file: periods import FILE, import KIND FILE.
set -l reading "__fish_seen_subcommand_from periods $kinds; and __fish_seen_subcommand_from import"
complete -c portal-journal -n $reading -F
complete -c portal-journal -n $reading -l dry-run -d 'Print the changes as CSV, write nothing'
complete -c portal-journal -n $reading -l rejects -r -F -d 'Apply the good rows, bad ones to this file'
complete -c portal-journal -n $reading -l encoding -x -a 'utf-8 cp1251' -d 'Encoding of the input file'
complete -c portal-journal -n $reading -l delimiter -x -a ', \; tab' -d 'Field separator of the input file'
complete -c portal-journal -n "__fish_seen_subcommand_from $kinds; and __fish_seen_subcommand_from import; and not __fish_seen_subcommand_from periods" -l sync -d 'Also remove what the file covers but no longer holds'

# show --class C [--subject S] (--period P | --from D --to D)
complete -c portal-journal -n '__fish_seen_subcommand_from show' -l format -x -a 'csv table json xlsx' -d 'Output format'
complete -c portal-journal -n '__fish_seen_subcommand_from show teachers' -l class -x -d 'The class (e.g. 7А)'
complete -c portal-journal -n '__fish_seen_subcommand_from show' -l subject -x -d 'Only this subject'
complete -c portal-journal -n '__fish_seen_subcommand_from show' -l period -x -d 'The dates of this period (e.g. 2 четверть)'
complete -c portal-journal -n '__fish_seen_subcommand_from show' -l from -x -d 'The first date (YYYY-MM-DD or DD.MM.YYYY)'
complete -c portal-journal -n '__fish_seen_subcommand_from show' -l to -x -d 'The last date (YYYY-MM-DD or DD.MM.YYYY)'
