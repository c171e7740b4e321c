"""Print: the PDFs (report, brochure, quartier sheets) through pandoc → Typst → typst-py.

See `clss.print.pdf` for the interface used by the CLI and the build.
"""
