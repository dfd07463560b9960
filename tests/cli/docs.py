#!/usr/bin/python3
"""The runnable parts of the documentation, for the tests that run them as written.

docs.py tour README.md [SECTION]
    The command lines of the README's section "## A short tour" (or "## SECTION"), one a line:
    the indented blocks, a line ending in '|' joined with the next, comments left out, crontab
    blocks too.
docs.py crontabs [--map FROM=TO]... FILE...
    Runs every crontab job of the files (the README's indented blocks and the man pages'
    literal displays that hold a job line: five time fields, then the command; a man page's
    job may be folded onto lines indented deeper) as cron(8) would: /bin/sh -c, in an
    environment of HOME, LOGNAME, SHELL=/bin/sh and PATH=/usr/bin:/bin and the crontab's
    own NAME=VALUE lines; an unescaped % ends the command and starts its standard input.
    --map replaces a path prefix in the crontab (where the binaries and the store are on the
    test machine). Prints each job and its exit status; exits 1 if any job failed. A job met
    again (the same command in the same environment) is run once.
docs.py commands FILE SECTION
    The commands of an mdoc page's section (".Sh SECTION"), one a line: the lines of its
    literal displays that begin with the user's prompt "$ ", a line ending in a backslash or
    '|' or inside a quote joined with the next; root's lines ("# ") and the outputs left out.
docs.py examples PAGE.1
    Runs the examples of a man page whose literal display follows the comment line
    `.\\" pipe.bats` (tests/cli/pipe.bats runs them on the school they were written from):
    a line `$ COMMAND` is a command (continued on the next lines while a line ends in '|',
    '\\', '&&' or '||'), the lines after it, up to the next command, what it prints: its
    standard output, then its standard error. Each runs with bash in the current directory
    and environment, standard input /dev/null, and must exit 0. Prints each one that prints
    something else; exits 1 if any did, 2 if the page marks none.
"""
import os
import re
import subprocess
import sys

CRON = re.compile(r'^([0-9*][0-9*/,-]*\s+){5}\S')
ASSIGN = re.compile(r'^[A-Za-z_][A-Za-z0-9_]*=')


def readme_blocks(text):
    """The README's indented code blocks, each a list of lines without the indent; a blank line
    parts two (a crontab stands apart from the commands before it)."""
    blocks, cur = [], []
    for raw in text.split('\n'):
        if raw.startswith('    ') and raw.strip():
            cur.append(raw[4:])
        else:
            if cur:
                blocks.append(cur)
            cur = []
    if cur:
        blocks.append(cur)
    return blocks


def man_section(text, name):
    """The part of an mdoc page under ".Sh NAME", up to the next section."""
    part = text.split('\n.Sh %s\n' % name, 1)
    if len(part) < 2:
        sys.exit('no section %s' % name)
    return part[1].split('\n.Sh ', 1)[0]


def commands(path, name):
    out, pending = [], None
    for block in man_blocks(man_section(open(path, encoding='utf-8').read(), name)):
        for line in block:
            if pending is None and not line.startswith('$ '):
                continue
            line = line[2:] if pending is None else pending + ' ' + line.strip()
            pending = None
            if line.endswith('\\'):
                pending = line[:-1].rstrip()
            elif line.endswith('|') or line.count("'") % 2:    # a pipe, a quote still open
                pending = line
            else:
                out.append(line)
    print('\n'.join(out))


def unroff(line):
    """A line of an mdoc literal display as it reads: the escapes the pages use undone."""
    return line.replace('\\e', '\\').replace('\\-', '-').replace('\\(aq', "'").replace('\\&', '')


def man_blocks(text):
    """The literal displays of an mdoc page, escapes undone, folded lines joined."""
    blocks, cur, inside = [], [], False
    for line in text.split('\n'):
        if line.startswith('.Bd') and '-literal' in line:
            inside, cur = True, []
        elif line.startswith('.Ed'):
            inside = False
            blocks.append(cur)
        elif inside and not line.startswith('.'):
            line = unroff(line)
            if line.startswith('      ') and cur and CRON.match(cur[-1]):
                cur[-1] = cur[-1].rstrip() + ' ' + line.strip()   # a job folded to fit the page
            else:
                cur.append(line)
    return blocks


def is_crontab(block):
    return any(CRON.match(l) for l in block)


def tour(path, section='A short tour'):
    text = open(path, encoding='utf-8').read()
    part = text.split('\n## %s\n' % section, 1)[1].split('\n## ', 1)[0]
    out = []
    for block in readme_blocks(part):
        if is_crontab(block):
            continue
        pending = ''
        for line in block:
            line = line.strip()
            if pending:
                line, pending = pending + ' ' + line, ''
            if line.endswith('|'):
                pending = line
                continue
            if line and not line.startswith('#'):
                out.append(line)
    print('\n'.join(out))


def split_percent(cmd):
    """cron's %: the command up to the first unescaped %, the rest its input (% a newline)."""
    parts, cur, i = [], '', 0
    while i < len(cmd):
        if cmd[i] == '\\' and i + 1 < len(cmd) and cmd[i + 1] == '%':
            cur += '%'
            i += 2
            continue
        if cmd[i] == '%':
            parts.append(cur)
            cur = ''
        else:
            cur += cmd[i]
        i += 1
    parts.append(cur)
    return parts[0], '\n'.join(parts[1:]) + ('\n' if len(parts) > 1 else '')


def crontabs(args):
    maps, files = [], []
    while args:
        a = args.pop(0)
        if a == '--map':
            f, t = args.pop(0).split('=', 1)
            maps.append((f, t))
        else:
            files.append(a)
    failed = jobs = 0
    seen = {}
    for path in files:
        text = open(path, encoding='utf-8').read()
        blocks = man_blocks(text) if re.search(r'\.[1-9]$', path) else readme_blocks(text)
        for block in filter(is_crontab, blocks):
            env = {'HOME': os.environ['HOME'], 'LOGNAME': os.environ.get('LOGNAME', 'root'),
                   'SHELL': '/bin/sh', 'PATH': '/usr/bin:/bin'}
            # the sanitizers' settings of a test run pass through (their suppressions)
            env.update({k: v for k, v in os.environ.items() if k.endswith('SAN_OPTIONS')})
            for line in block:
                for f, t in maps:
                    line = line.replace(f, t)
                if ASSIGN.match(line) and not CRON.match(line):
                    k, v = line.split('=', 1)
                    env[k] = v
                elif CRON.match(line):
                    cmd = re.sub(r'^([0-9*][0-9*/,-]*\s+){5}', '', line)
                    cmd, stdin = split_percent(cmd)
                    key = (cmd, stdin, tuple(sorted(env.items())))
                    if key in seen:     # portal(7) gathers jobs of the other pages: one run is the test
                        print('%s: the job of %s: %s' % (os.path.basename(path), seen[key], cmd))
                        continue
                    seen[key] = os.path.basename(path)
                    r = subprocess.run(['/bin/sh', '-c', cmd], env=env, input=stdin.encode(),
                                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=env['HOME'])
                    jobs += 1
                    print('%s: exit %d: %s' % (os.path.basename(path), r.returncode, cmd))
                    out = r.stdout.decode(errors='replace').strip()
                    if out:
                        print('  ' + out.replace('\n', '\n  '))
                    failed += r.returncode != 0
    print('%d jobs, %d failed' % (jobs, failed))
    return 1 if failed or not jobs else 0


EXAMPLE_MARK = '.\\" pipe.bats'


def marked_blocks(text):
    """The literal displays that follow the line EXAMPLE_MARK, escapes undone."""
    lines, out, i = text.split('\n'), [], 0
    while i < len(lines):
        if lines[i].strip() == EXAMPLE_MARK:
            while i < len(lines) and not lines[i].startswith('.Bd -literal'):
                i += 1
            block, i = [], i + 1
            while i < len(lines) and lines[i] != '.Ed':
                block.append(unroff(lines[i]))
                i += 1
            out.append(block)
        i += 1
    return out


def example_commands(block):
    """(command, what it prints) of each '$ ' line of a block and the lines after it."""
    out, i = [], 0
    continues = ('|', '\\', '&&', '||')
    while i < len(block):
        if not block[i].startswith('$ '):
            raise SystemExit('docs.py: a line before the first command: %r' % block[i])
        cmd = [block[i][2:]]
        while cmd[-1].rstrip().endswith(continues) and i + 1 < len(block):
            i += 1
            cmd.append(block[i])
        want, i = [], i + 1
        while i < len(block) and not block[i].startswith('$ '):
            want.append(block[i])
            i += 1
        out.append(('\n'.join(cmd), '\n'.join(want)))
    return out


def examples(path):
    found = marked_blocks(open(path, encoding='utf-8').read())
    if not found:
        print('%s: no example marked %s' % (path, EXAMPLE_MARK))
        return 2
    bad = 0
    for block in found:
        for cmd, want in example_commands(block):
            r = subprocess.run(['bash', '-c', cmd], stdin=subprocess.DEVNULL, capture_output=True)
            got = (r.stdout + r.stderr).decode('utf-8', errors='replace').rstrip('\n')
            if r.returncode != 0 or got != want:
                bad += 1
                print('%s: $ %s\nexit %d\n--- the page shows\n%s\n--- it prints\n%s\n' % (path, cmd, r.returncode, want, got))
    return 1 if bad else 0


if __name__ == '__main__':
    if sys.argv[1:2] == ['tour']:
        tour(*sys.argv[2:4])
    elif sys.argv[1:2] == ['commands'] and len(sys.argv) == 4:
        commands(sys.argv[2], sys.argv[3])
    elif sys.argv[1:2] == ['crontabs']:
        sys.exit(crontabs(sys.argv[2:]))
    elif sys.argv[1:2] == ['examples']:
        sys.exit(examples(sys.argv[2]))
    else:
        sys.exit(__doc__)
