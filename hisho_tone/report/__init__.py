"""The director's view: one offline HTML page (and a JSON summary) over a scored archive.

``build.build_report`` scores an archive with the batch engine into a temporary directory
(``hisho_tone.batch.run_batch``), streams the message and conversation lines back into the
figures of ``aggregate`` and renders them (``render``, with the charts of ``charts``).
Nothing is imported here, so the batch workers can use ``due`` without loading the rest.
"""
