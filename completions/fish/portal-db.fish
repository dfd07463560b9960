# fish completion for portal-db(1); installed in share/fish/vendor_completions.d.

set -l verbs init migrate version config calendar backup check witness audit
set -l keys school.name school.address school.director portal.url support.contact mail.from mail.sendmail school.timezone grading.thresholds audit.witness audit.syslog

# No file names unless an argument is a file.
complete -c portal-db -f

# Options of every verb, before or after the verb.
complete -c portal-db -l db -r -F -d 'The store'
complete -c portal-db -l actor -x -d 'Who acts (audit: whose records)'
complete -c portal-db -l format -x -a 'csv table json' -d 'Output format'
complete -c portal-db -s o -l output -r -F -d 'Write the output to a file'
complete -c portal-db -s q -l quiet -d 'No summary on standard error'
complete -c portal-db -l excel -d 'CSV for Excel on a Russian Windows'
complete -c portal-db -l help -d 'Print the usage'
complete -c portal-db -n "not __fish_seen_subcommand_from $verbs" -l version -d 'Print the version'

# Verbs.
complete -c portal-db -n "not __fish_seen_subcommand_from $verbs" -a init -d 'Create the store and its first admin'
complete -c portal-db -n "not __fish_seen_subcommand_from $verbs" -a migrate -d 'Apply the embedded migrations'
complete -c portal-db -n "not __fish_seen_subcommand_from $verbs" -a version -d 'Print binary and schema versions'
complete -c portal-db -n "not __fish_seen_subcommand_from $verbs" -a config -d 'List, read or set the settings'
complete -c portal-db -n "not __fish_seen_subcommand_from $verbs" -a calendar -d 'Import or list the production calendar'
complete -c portal-db -n "not __fish_seen_subcommand_from $verbs" -a backup -d 'Online, consistent copy of the store'
complete -c portal-db -n "not __fish_seen_subcommand_from $verbs" -a check -d 'Integrity, foreign keys, audit chain, witness'
complete -c portal-db -n "not __fish_seen_subcommand_from $verbs" -a witness -d 'Append the audit head to the witness file'
complete -c portal-db -n "not __fish_seen_subcommand_from $verbs" -a audit -d 'Print the audit log'

# init
complete -c portal-db -n '__fish_seen_subcommand_from init' -l admin -x -d 'Login of the first admin'
complete -c portal-db -n '__fish_seen_subcommand_from init' -l last-name -x -d 'Last name of the admin'
complete -c portal-db -n '__fish_seen_subcommand_from init' -l first-name -x -d 'First name of the admin'
complete -c portal-db -n '__fish_seen_subcommand_from init' -l middle-name -x -d 'Middle name of the admin'
complete -c portal-db -n '__fish_seen_subcommand_from init' -l witness -r -F -d 'Witness file of the audit log'

# check
complete -c portal-db -n '__fish_seen_subcommand_from check' -l witness -r -F -d 'Check against this witness file'

# config KEY [VALUE]
complete -c portal-db -n "__fish_seen_subcommand_from config; and not __fish_seen_subcommand_from $keys" -a "$keys" -d 'Setting'
complete -c portal-db -n '__fish_seen_subcommand_from config; and __fish_seen_subcommand_from audit.witness' -F

# calendar import|list
complete -c portal-db -n '__fish_seen_subcommand_from calendar; and not __fish_seen_subcommand_from import list' -a import -d 'Load a production calendar (date,kind)'
complete -c portal-db -n '__fish_seen_subcommand_from calendar; and not __fish_seen_subcommand_from import list' -a list -d 'List the days with their kind'
complete -c portal-db -n '__fish_seen_subcommand_from calendar; and __fish_seen_subcommand_from import' -F
complete -c portal-db -n '__fish_seen_subcommand_from calendar; and __fish_seen_subcommand_from import' -l dry-run -d 'Check the input, write nothing'
complete -c portal-db -n '__fish_seen_subcommand_from calendar; and __fish_seen_subcommand_from import' -l rejects -r -F -d 'Apply the good rows, bad ones to this file'
complete -c portal-db -n '__fish_seen_subcommand_from calendar; and __fish_seen_subcommand_from import' -l encoding -x -a 'utf-8 cp1251' -d 'Encoding of the input file'
complete -c portal-db -n '__fish_seen_subcommand_from calendar; and __fish_seen_subcommand_from import' -l delimiter -x -a ', \; tab' -d 'Field separator of the input file'
complete -c portal-db -n '__fish_seen_subcommand_from calendar; and __fish_seen_subcommand_from list' -l from -x -d 'First day (YYYY-MM-DD)'
complete -c portal-db -n '__fish_seen_subcommand_from calendar; and __fish_seen_subcommand_from list' -l to -x -d 'Last day (YYYY-MM-DD)'

# backup FILE
complete -c portal-db -n '__fish_seen_subcommand_from backup' -F

# audit
complete -c portal-db -n '__fish_seen_subcommand_from audit' -l since -x -d 'Records at or after (YYYY-MM-DDTHH:MM:SSZ)'
complete -c portal-db -n '__fish_seen_subcommand_from audit' -l invalid -d 'Only the invalidated records'
