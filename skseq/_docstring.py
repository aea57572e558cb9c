"""Shared docstring blocks, filled into class docstrings at definition time.

A class keeps its literal docstring at the top of its body, as every sklearn
estimator does; a line holding only ``{name}`` is replaced by the shared block
of that name, so the text of parameters that several classes share is written once.
"""

from __future__ import annotations

__all__ = ["fill_doc"]


def fill_doc(**blocks: str):
    """Class decorator: replace each line ``    {name}`` of the docstring by ``blocks[name]``.

    Examples
    --------
    >>> from skseq._docstring import fill_doc
    >>> @fill_doc(extra="    b : int\\n")
    ... class Example:
    ...     '''Parameters
    ...     a : int
    ...     {extra}
    ...     '''
    >>> print(Example.__doc__)
    Parameters
        a : int
        b : int
    <BLANKLINE>
    """

    def decorate(cls):
        doc = cls.__doc__
        for name, block in blocks.items():
            placeholder = "    {" + name + "}\n"
            if placeholder not in doc:
                raise ValueError(f"{cls.__name__}'s docstring has no line {{{name}}}.")
            doc = doc.replace(placeholder, block)
        cls.__doc__ = doc
        return cls

    return decorate
