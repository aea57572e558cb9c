"""pytest over docs/: the markdown pages' doctests run; the Sphinx machinery is not collected.

The pages the build writes (user_guide/ split from user_guide.md, api/, the gallery's
auto_examples/) are not collected: user_guide.md itself is.
"""

collect_ignore = ["conf.py"]
collect_ignore_glob = [
    "_build/*",
    "_ext/*",
    "_templates/*",
    "api/*",
    "auto_examples/*",
    "gen_modules/*",
    "user_guide/*",
]
