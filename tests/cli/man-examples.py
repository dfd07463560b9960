#!/usr/bin/env python3
"""man-examples.py PAGE.1: runs the examples of a man page that are marked
with the comment line `.\\" pipe.bats` before their `.Bd -literal` block, and
checks that each prints what the page shows.

In a block, a line `$ COMMAND` is a command (continued on the next lines while
a line ends with `|`, `\\`, `&&` or `||`); the lines after it, up to the next
command, are what it prints: its standard output, then its standard error.
Each command runs with bash in the current directory and environment, and must
exit 0. The roff escapes the pages use in them (\\e, \\-, \\&) are undone.
Prints each difference and exits 1 when there is any; 2 when the page has no
marked block.
"""
import subprocess
import sys

MARK = '.\\" pipe.bats'


def unroff(line):
    return line.replace('\\-', '-').replace('\\&', '').replace('\\e', '\\')


def blocks(lines):
    """The marked literal blocks, each a list of its unescaped lines."""
    i, out = 0, []
    while i < len(lines):
        if lines[i].strip() == MARK:
            while i < len(lines) and not lines[i].startswith('.Bd -literal'):
                i += 1
            i += 1
            block = []
            while i < len(lines) and lines[i] != '.Ed':
                block.append(unroff(lines[i]))
                i += 1
            out.append(block)
        i += 1
    return out


def continues(line):
    s = line.rstrip()
    return s.endswith('|') or s.endswith('\\') or s.endswith('&&') or s.endswith('||')


def examples(block):
    """(command, expected output) of each command of a block."""
    out, i = [], 0
    while i < len(block):
        if not block[i].startswith('$ '):
            raise SystemExit('man-examples: a line before the first command: %r' % block[i])
        cmd = [block[i][2:]]
        while continues(cmd[-1]) and i + 1 < len(block):
            i += 1
            cmd.append(block[i])
        i += 1
        want = []
        while i < len(block) and not block[i].startswith('$ '):
            want.append(block[i])
            i += 1
        out.append(('\n'.join(cmd), '\n'.join(want)))
    return out


def main():
    page = sys.argv[1]
    with open(page, encoding='utf-8') as f:
        lines = f.read().split('\n')
    found = blocks(lines)
    if not found:
        print('%s: no example marked %s' % (page, MARK))
        return 2
    bad = 0
    for block in found:
        for cmd, want in examples(block):
            r = subprocess.run(['bash', '-c', cmd], stdin=subprocess.DEVNULL, capture_output=True)
            got = (r.stdout + r.stderr).decode('utf-8').rstrip('\n')
            if r.returncode != 0 or got != want:
                bad += 1
                print('%s: $ %s\nexit %d\n--- the page shows\n%s\n--- it prints\n%s\n' % (page, cmd, r.returncode, want, got))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
