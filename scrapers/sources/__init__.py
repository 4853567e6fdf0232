"""One module per source. Each exposes ``SOURCE_ID``, ``PARSER_VERSION`` and a pure
``parse(body: bytes, meta: CaptureMeta) -> ParseResult``; the registry says where to fetch it."""
