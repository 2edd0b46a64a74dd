"""Reshapers: the contract-shaped sample rewritten in each connector's landed shape (issue 14).

Each module exposes ``reshape(contract_dir: Path, out_dir: Path) -> None``: it reads
``contract_dir/<source>/<table>/*.parquet`` and writes ``out_dir/<source>/<connector table>/``,
one Parquet file per contract batch file.
"""
