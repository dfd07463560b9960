# fish completion for portal-extract(1); installed in share/fish/vendor_completions.d.
# portal-extract has no verbs: options, and a CSV of the people to read.

# No file names unless an argument is a file.
complete -c portal-extract -f

# Whose extracts: a class, students, or a CSV of the people (the file).
complete -c portal-extract -l class -x -d 'The students of this class at school (e.g. 7А)'
complete -c portal-extract -l student -x -d 'This student id (repeat for more)'
complete -c portal-extract -n 'not __fish_contains_opt class student' -F

# For which dates.
complete -c portal-extract -l period -x -d 'The dates and final marks of this period (e.g. 2 четверть)'
complete -c portal-extract -l from -x -d 'The first date (YYYY-MM-DD or DD.MM.YYYY)'
complete -c portal-extract -l to -x -d 'The last date (YYYY-MM-DD or DD.MM.YYYY)'

# By which channel, in which format, where to.
complete -c portal-extract -l channel -x -a 'auto\t"E-mail where the consent allows it, paper for the others" paper\t"Paper only" email\t"E-mail only"' -d 'Who gets e-mail and who paper'
complete -c portal-extract -l format -x -a 'txt csv xlsx eml pdf' -d 'Format of the extracts'
complete -c portal-extract -s o -l output -r -F -d 'One file for the paper extracts, or a directory'
complete -c portal-extract -l send -d 'Hand the e-mails to mail.sendmail once registered'
complete -c portal-extract -l dry-run -d 'Print the manifest of what would be made, write nothing'

# The piped file.
complete -c portal-extract -l encoding -x -a 'utf-8 cp1251' -d 'Encoding of the piped file'
complete -c portal-extract -l delimiter -x -a ', \; tab' -d 'Field separator of the piped file'

# Common options.
complete -c portal-extract -l db -r -F -d 'The store'
complete -c portal-extract -l actor -x -d 'Who acts: staff login or os_user'
complete -c portal-extract -s q -l quiet -d 'No notes or warnings on standard error'
complete -c portal-extract -l excel -d 'The manifest as CSV for Excel on a Russian Windows'
complete -c portal-extract -l help -d 'Print the usage'
complete -c portal-extract -l version -d 'Print the version'
