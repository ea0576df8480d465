"""The Word file: conventions, WordprocessingML, package writing, manifest, reader."""
