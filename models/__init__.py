"""hisho-tone's labeled corpus (``data/``), training recipe and shipped model (``model.json``).

Installed as the package ``hisho_tone_models`` so the model travels inside the wheel. Training
(``hisho-tone train``) needs the ``train`` extra (scikit-learn); loading the model does not.
"""
