# The text of one of the engine's Lua scripts as the engine sends it: each line '--#include <file>' replaced by that
# file's text, recursively (LuaScript.resource). Used by the cost scripts here.
R = 'src/main/resources/io/quantumtrader/streams/redis/'


def source(name, directory=R):
    """name: a file of `directory`, or a path ending in .lua given as it is (an older version saved elsewhere)."""
    path = name if '/' in name else directory + name
    out = []
    for line in open(path).read().split('\n'):
        out.append(source(line[len('--#include '):].strip(), directory) if line.startswith('--#include ') else line)
    return '\n'.join(out)
