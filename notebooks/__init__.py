"""The report notebooks, installed as package data ``fdsa.notebooks`` (see pyproject.toml).

This folder is the notebooks' home in the checkout (``make lab`` opens it); the
package mapping makes an installed fdsa find them without the checkout.
"""
