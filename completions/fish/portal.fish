# fish completion for the portal toolkit; installed in share/fish/vendor_completions.d
# as portal-X.fish for each binary. The binary answers (portal-X --complete line
# WORD... CURRENT, see cmd/completion.c): this function hands it the words and gives
# fish the answer, so it never changes when a verb or an option is added.

function __portal_complete
    set -l tokens (commandline -opc)
    set -l cur (commandline -ct)
    set -l out ($tokens[1] --complete line $tokens[2..-1] $cur 2>/dev/null)
    # files and directories after "--opt=" keep the option in front
    set -l opt (string match -r -- '^--[^=]*=' $cur)
    set -l name (string replace -r -- '^--[^=]*=' '' $cur)
    switch "$out[1]"
        case files
            printf "$opt%s\n" (__fish_complete_path $name)
        case dirs
            printf "$opt%s\n" (__fish_complete_directories $name)
        case words
            printf '%s\n' $out[2..-1]
    end
end

for c in portal-db portal-accounts portal-journal portal-consent portal-extract portal-ack portal-report portal-web
    complete -c $c -f -a '(__portal_complete)'
end
