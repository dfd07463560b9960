# fish completion for portal-accounts(1); installed in share/fish/vendor_completions.d.

set -l verbs import groups list update set issue verify passwd lock unlock breach breaches
set -l kinds students guardians staff

# Prints the FIELD=VALUE completions after "portal-accounts set ID".
function __portal_accounts_set_fields
    set -l tokens (commandline -opc)
    set -l kind
    set -l seen_set 0
    set -l ids 0
    set -l i 2
    while test $i -le (count $tokens)
        set -l t $tokens[$i]
        switch $t
            case --kind
                set i (math $i + 1)
                test $i -le (count $tokens); and set kind $tokens[$i]
            case '--kind=*'
                set kind (string replace -- '--kind=' '' $t)
            case --db --actor --format -o --output --class --who --reason --discovered-at --reported-at --reported-to
                set i (math $i + 1)
            case '-*'
            case '*'
                if test $seen_set = 1
                    set ids (math $ids + 1)
                else if test "$t" = set
                    set seen_set 1
                end
        end
        set i (math $i + 1)
    end
    test $seen_set = 1 -a $ids -ge 1; or return 0

    switch (commandline -ct)
        case 'status=*'
            printf 'status=%s\n' active left
        case 'relation=*'
            printf 'relation=%s\n' mother father guardian other
        case 'role=*'
            printf 'role=%s\n' admin deputy class_leader teacher
        case '*=*'
        case '*'
            set -l fields last_name first_name middle_name email phone
            switch "$kind"
                case student
                    set -a fields birth_date class status left_on
                case guardian
                    set -a fields relation
                case staff
                    set -a fields role login os_user classes subjects
                case '*'
                    set -a fields birth_date class status left_on relation role login os_user classes subjects
            end
            printf '%s=\n' $fields
    end
end

# No file names unless an argument is a file.
complete -c portal-accounts -f

# Options of every verb, before or after the verb.
complete -c portal-accounts -l db -r -F -d 'The store'
complete -c portal-accounts -l actor -x -d 'Who acts: staff login or os_user'
complete -c portal-accounts -n 'not __fish_seen_subcommand_from issue' -l format -x -a 'csv table json' -d 'Output format'
complete -c portal-accounts -s o -l output -r -F -d 'Write the output to a file'
complete -c portal-accounts -s q -l quiet -d 'No summary on standard error'
complete -c portal-accounts -l excel -d 'CSV for Excel on a Russian Windows'
complete -c portal-accounts -l help -d 'Print the usage'
complete -c portal-accounts -n "not __fish_seen_subcommand_from $verbs" -l version -d 'Print the version'

# Verbs.
complete -c portal-accounts -n "not __fish_seen_subcommand_from $verbs" -a import -d 'Add or update people from a file'
complete -c portal-accounts -n "not __fish_seen_subcommand_from $verbs" -a groups -d 'Import or list study groups'
complete -c portal-accounts -n "not __fish_seen_subcommand_from $verbs" -a list -d 'List students, guardians or staff'
complete -c portal-accounts -n "not __fish_seen_subcommand_from $verbs" -a update -d 'Change existing people from a file'
complete -c portal-accounts -n "not __fish_seen_subcommand_from $verbs" -a set -d 'Change fields of one person'

# Options of the verbs that read a data file: import, groups import, update.
set -l reading '__fish_seen_subcommand_from import update'
complete -c portal-accounts -n $reading -l dry-run -d 'Print the changes as CSV, write nothing'
complete -c portal-accounts -n $reading -l rejects -r -F -d 'Apply the good rows, bad ones to this file'
complete -c portal-accounts -n $reading -l encoding -x -a 'utf-8 cp1251' -d 'Encoding of the input file'
complete -c portal-accounts -n $reading -l delimiter -x -a ', \; tab' -d 'Field separator of the input file'

# import students|guardians|staff FILE
complete -c portal-accounts -n "__fish_seen_subcommand_from import; and not __fish_seen_subcommand_from groups $kinds" -a "$kinds" -d 'Kind of people'
complete -c portal-accounts -n "__fish_seen_subcommand_from import; and __fish_seen_subcommand_from $kinds" -F
complete -c portal-accounts -n '__fish_seen_subcommand_from import; and not __fish_seen_subcommand_from groups guardians staff' -l sync -d 'Mark students absent from the file as left'

# groups import|list
complete -c portal-accounts -n '__fish_seen_subcommand_from groups; and not __fish_seen_subcommand_from import list' -a import -d 'Load study groups from a file'
complete -c portal-accounts -n '__fish_seen_subcommand_from groups; and not __fish_seen_subcommand_from import list' -a list -d 'List the groups and their members'
complete -c portal-accounts -n '__fish_seen_subcommand_from groups; and __fish_seen_subcommand_from import' -F

# list students|guardians|staff, groups list
complete -c portal-accounts -n "__fish_seen_subcommand_from list; and not __fish_seen_subcommand_from groups $kinds" -a "$kinds" -d 'Kind of people'
complete -c portal-accounts -n '__fish_seen_subcommand_from list' -l class -x -d 'Only this class (e.g. 7А)'
complete -c portal-accounts -n '__fish_seen_subcommand_from list; and not __fish_seen_subcommand_from groups' -l status -x -a 'active left all' -d 'Which people (default active)'
complete -c portal-accounts -n '__fish_seen_subcommand_from list; and not __fish_seen_subcommand_from groups' -l locked -d 'Only people whose account is locked'

# update FILE
complete -c portal-accounts -n '__fish_seen_subcommand_from update' -F

# set ID FIELD=VALUE...
complete -c portal-accounts -n '__fish_seen_subcommand_from set' -l kind -x -a 'student guardian staff' -d 'Kind of person the id names'
complete -c portal-accounts -n '__fish_seen_subcommand_from set' -l dry-run -d 'Print the changes as CSV, write nothing'
complete -c portal-accounts -n '__fish_seen_subcommand_from set' -a '(__portal_accounts_set_fields)'

# issue: the passwords appear in its output only
complete -c portal-accounts -n "not __fish_seen_subcommand_from $verbs" -a issue -d 'Create accounts, print temporary passwords'
complete -c portal-accounts -n '__fish_seen_subcommand_from issue' -l format -x -a 'csv\t"CSV with the passwords" txt\t"Slips to print and cut" pdf\t"Slips as an A4 PDF document"' -d 'What to write'
complete -c portal-accounts -n '__fish_seen_subcommand_from issue' -l class -x -d 'Only this class (e.g. 7А)'
complete -c portal-accounts -n '__fish_seen_subcommand_from issue' -l who -x -a 'students guardians staff all' -d 'Whom to issue for (default all)'
complete -c portal-accounts -n '__fish_seen_subcommand_from issue' -l reissue -d 'New passwords also for those who have accounts'
complete -c portal-accounts -n '__fish_seen_subcommand_from issue' -l dry-run -d 'Who would get which login, no passwords'
complete -c portal-accounts -n '__fish_seen_subcommand_from issue' -l encoding -x -a 'utf-8 cp1251' -d 'Encoding of the ids file'
complete -c portal-accounts -n '__fish_seen_subcommand_from issue' -l delimiter -x -a ', \; tab' -d 'Field separator of the ids file'
complete -c portal-accounts -n '__fish_seen_subcommand_from issue' -F

# verify, passwd, lock, unlock LOGIN: the login is free text
complete -c portal-accounts -n "not __fish_seen_subcommand_from $verbs" -a verify -d 'Check the password on standard input'
complete -c portal-accounts -n "not __fish_seen_subcommand_from $verbs" -a passwd -d 'Set a new password from standard input'
complete -c portal-accounts -n "not __fish_seen_subcommand_from $verbs" -a lock -d 'Lock a login'
complete -c portal-accounts -n "not __fish_seen_subcommand_from $verbs" -a unlock -d 'Unlock a login'
complete -c portal-accounts -n '__fish_seen_subcommand_from lock' -l reason -x -d 'Why the login is locked'

# breach LOGIN, breaches
complete -c portal-accounts -n "not __fish_seen_subcommand_from $verbs" -a breach -d 'Register a leaked login, invalidate its operations'
complete -c portal-accounts -n "not __fish_seen_subcommand_from $verbs" -a breaches -d 'List the leaked logins and their deadlines'
complete -c portal-accounts -n '__fish_seen_subcommand_from breach' -l discovered-at -x -d 'When the leak was discovered (timestamp)'
complete -c portal-accounts -n '__fish_seen_subcommand_from breach' -l reported-at -x -d 'When it was reported (timestamp)'
complete -c portal-accounts -n '__fish_seen_subcommand_from breach' -l reported-to -x -d 'To whom it was reported'
