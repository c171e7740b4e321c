"""Print: the PDFs (report, brochure, quartier sheets) through pandoc → Typst → typst-py.

`clss.print.pdf` is the interface used by the CLI, the build and the tests.
"""
