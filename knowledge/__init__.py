"""Facts about the OCOP programme and pure logic over them; no I/O beyond its own data files."""
