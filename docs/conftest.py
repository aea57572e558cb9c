"""pytest over docs/: the markdown pages' doctests run; the Sphinx machinery is not collected."""

collect_ignore = ["conf.py"]
collect_ignore_glob = ["_build/*", "_ext/*", "api/*", "auto_examples/*", "_templates/*"]
