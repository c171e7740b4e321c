"""Photos and drawings (content/figures.yml) through both outputs.

- images.py    read an image file safely (Pillow, decompression-bomb guard, SVG without scripts):
               its size and colour mode, or a BadImage with a plain message
- review.py    the rules `clss check` applies (declarations, placements, files, print resolution)
               and what blocks a release (pending figures, resolution below 300 ppi)
- placing.py   where a figure is placed and how wide it prints (the templates' column widths)
- web.py       responsive variants (WebP + JPEG, 4 widths) cached by content hash, and the
               <figure>/<picture> HTML of the site (Jinja, autoescaped)
- printing.py  the Typst call of a figure or a gallery (templates/base.typ: clss-figure)
- inserts.py   what the assembly puts in place of `[[insert: figure ID]]` / `[[insert: gallery …]]`

Nothing here imports MkDocs: the site plugin calls web.py; the assembly calls inserts.py.
"""
