import FoundationEssentials

#if canImport(Glibc)
  import Glibc
#endif

/// A TOML syntax error with its place.
public struct TOMLSyntaxError: Error, Sendable, Equatable {
  public var message: String
  public var line: Int
  public var column: Int
}

/// A parsed TOML document: the value tree (keys in file order) and where every key stands.
public struct ParsedTOML: Sendable {
  public var root: TOMLDict
  public var sourceMap: SourceMap
  /// The layout of the bytes, kept when a save made them (the next save of the file starts from
  /// it instead of reading the file's layout again).
  var layout: TOMLLayout?
}

/// A TOML parser of our own (TOML 1.1, and 1.0 when asked: without 1.1's relaxations — newlines,
/// comments and a trailing comma in inline tables, `\e` and `\xHH` escapes, times without
/// seconds), in one pass over the UTF-8 bytes: it builds the `TOMLNode` tree
/// with the keys in the order of the file, and (when asked, for `SourceMap`) the line and column
/// of every key, table header and array element.
///
/// Why not a library: the one we used (TOMLKit over toml++) sorts keys, so every table had to be
/// re-ordered from a second scan of the text; with 10,000 personas that was most of a 2 s start.
/// This parser does both jobs in ~1/20 of the time (docs/performance.md).
/// The version of TOML a document is read as. The configuration files are read as 1.1 (a file
/// written for 1.0 reads the same); 1.0 refuses what 1.1 added (the toml-test suite's 1.0 cases).
public enum TOMLVersion: Sendable {
  case v1_0
  case v1_1
}

public enum TOMLParser {
  public static func parse(_ data: Data, version: TOMLVersion = .v1_1) throws(TOMLSyntaxError) -> ParsedTOML {
    // Parsed where the bytes are (no copy of a large file while its tree is being built).
    let result = data.withUnsafeBytes { raw -> Result<TOMLDict, TOMLSyntaxError> in
      let bytes = raw.bindMemory(to: UInt8.self)
      do throws(TOMLSyntaxError) {
        try check(bytes)
        var p = Parser(bytes, recordPositions: false)
        p.version = version
        return .success(try p.run())
      } catch {
        return .failure(error)
      }
    }
    // The map of places keeps the file's Data (which the loaded file keeps anyway), not a copy.
    return ParsedTOML(root: try result.get(), sourceMap: SourceMap(lazy: data), layout: nil)
  }

  public static func parse(_ text: String) throws(TOMLSyntaxError) -> ParsedTOML {
    try parse(Data(text.utf8))
  }

  /// Where every `key = value` line and every table header of a document stands, in bytes (for
  /// saves that change only the bytes of what changed: `TOMLEditor`); nil when it does not parse.
  static func layout(_ data: Data) -> TOMLLayout? { parsedWithLayout(data)?.layout }

  /// The parse of a document with its layout.
  static func parsedWithLayout(_ data: Data) -> ParsedTOML? {
    let made = data.withUnsafeBytes { raw -> (TOMLDict, TOMLLayout)? in
      let bytes = raw.bindMemory(to: UInt8.self)
      var p = Parser(bytes, recordPositions: false, layout: true)
      p.layout = TOMLLayout()
      guard (try? check(bytes)) != nil, let root = try? p.run() else { return nil }
      return (root, p.layout!)
    }
    return made.map { ParsedTOML(root: $0.0, sourceMap: SourceMap(lazy: data), layout: $0.1) }
  }

  /// The places of every key of a document that parses (empty when it does not).
  static func positions(_ data: Data) -> [[PathSegment]: SourcePosition] {
    data.withUnsafeBytes { raw in
      var p = Parser(raw.bindMemory(to: UInt8.self), recordPositions: true)
      _ = try? p.run()
      return p.positions
    }
  }

  /// NUL bytes and invalid UTF-8 are refused with their place before parsing.
  static func check(_ bytes: UnsafeBufferPointer<UInt8>) throws(TOMLSyntaxError) {
    if let base = bytes.baseAddress, let found = memchr(base, 0, bytes.count) {
      let nul = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
      let (line, column) = place(ofByte: nul, in: bytes)
      throw TOMLSyntaxError(message: "the file holds a NUL byte", line: line, column: column)
    }
    if let bad = firstInvalidUTF8Byte(bytes) {
      let (line, column) = place(ofByte: bad, in: bytes)
      throw TOMLSyntaxError(message: "the file is not valid UTF-8", line: line, column: column)
    }
  }

  static func place(ofByte offset: Int, in data: Data) -> (Int, Int) {
    data.withUnsafeBytes { place(ofByte: offset, in: $0.bindMemory(to: UInt8.self)) }
  }

  /// 1-based line and column (columns count Unicode scalars) of a byte offset.
  static func place(ofByte offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (Int, Int) {
    var counter = PlaceCounter()
    return counter.place(ofByte: offset, in: bytes)
  }

  static func firstInvalidUTF8Byte(_ data: Data) -> Int? {
    data.withUnsafeBytes { firstInvalidUTF8Byte($0.bindMemory(to: UInt8.self)) }
  }

  static func firstInvalidUTF8Byte(_ bytes: [UInt8]) -> Int? {
    bytes.withUnsafeBufferPointer { firstInvalidUTF8Byte($0) }
  }

  static func firstInvalidUTF8Byte(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    guard let base = bytes.baseAddress else { return nil }
    var i = 0
    let n = bytes.count
    while i < n {
      // ASCII eight bytes at a time.
      while i + 8 <= n && UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
        i += 8
      }
      guard i < n else { break }
      let b = bytes[i]
      if b < 0x80 {
        i += 1
        continue
      }
      let len: Int
      let minimum: UInt32
      var v: UInt32
      if b & 0xE0 == 0xC0 {
        len = 2
        minimum = 0x80
        v = UInt32(b & 0x1F)
      } else if b & 0xF0 == 0xE0 {
        len = 3
        minimum = 0x800
        v = UInt32(b & 0x0F)
      } else if b & 0xF8 == 0xF0 {
        len = 4
        minimum = 0x10000
        v = UInt32(b & 0x07)
      } else {
        return i
      }
      if i + len > n { return i }
      for k in 1..<len {
        let c = bytes[i + k]
        if c & 0xC0 != 0x80 { return i }
        v = v << 6 | UInt32(c & 0x3F)
      }
      if v < minimum || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) { return i }
      i += len
    }
    return nil
  }
}

// MARK: - The parser

/// A table while the document is being read. Tables live in the parser's arena (`Parser.tables`)
/// and refer to each other by index, so that headers and dotted keys can add to a table deep in
/// the tree without copying the tree — and without an object, its reference counting and its
/// exclusivity checks per table.
private struct ParseTable {
  enum Origin {
    /// Made on the way to something else (`[a.b]` makes `a`): may still get its own header once.
    case implicit
    /// Made by a `[header]`.
    case header
    /// Made by a dotted key (`a.b = 1` makes `a`): no header may open it later.
    case dotted
    /// An inline table `{ … }`: closed, nothing may be added later.
    case inline
    /// An element of an array of tables.
    case arrayElement
  }

  /// Keys and values in file order, in one array (one allocation for the few keys most tables
  /// have), already in the finished table's form: building a table takes this array as it is.
  /// A table or an array of tables of the arena stands as a placeholder here and in `links`.
  var entries: [(key: String, value: TOMLNode)] = []
  /// The entries that are tables or arrays of tables of the arena, by position in `entries`; nil
  /// for a table of plain values (most tables).
  var links: [Int: ParseNode]?
  /// An index only for a table of many keys (a linear search is quicker than hashing for a few).
  var index: [String: Int]?
  var origin: Origin

  init(_ origin: Origin) {
    self.origin = origin
    // The finished table keeps this array, spare room included: 4 (a model entry, a tier) grows
    // once for a persona or a ticket. 1,000 personas: 8 took 0.4 MB more, none 6 % more time.
    entries.reserveCapacity(4)
  }

  subscript(key: String) -> ParseNode? {
    guard let i = position(of: key) else { return nil }
    return links?[i] ?? .value(entries[i].value)
  }

  func position(of key: String) -> Int? {
    if let index { return index[key] }
    for i in entries.indices where entries[i].key == key { return i }
    return nil
  }

  /// Adds a key the table does not hold yet (the parser checks that first).
  mutating func add(_ key: String, _ node: ParseNode) {
    let position = entries.count
    switch node {
    case .value(let v):
      entries.append((key, v))
    case .table, .tables:
      entries.append((key, .bool(false)))
      links = links ?? [:]
      links![position] = node
    }
    let count = position + 1
    if index != nil {
      index![key] = position
    } else if count > 16 {
      var map = [String: Int](minimumCapacity: count * 2)
      for (i, e) in entries.enumerated() { map[e.key] = i }
      index = map
    }
  }
}

private enum ParseNode {
  case value(TOMLNode)
  /// A table of the arena.
  case table(Int)
  /// An array of tables (`[[name]]`), its list in the arena (arrays of inline tables are plain
  /// values).
  case tables(Int)
}

/// Lines and columns (1-based; columns count Unicode scalars) of byte offsets, counted on from the
/// last offset asked for: asked in the order of the file, as the parser records places, each byte
/// is counted once. (Counting from the start for every key made the map of places of a 0.9 MB
/// file take 3 s — and every start with a wrong type in it, whose message needs the map.)
struct PlaceCounter {
  /// The line and column of the byte at `offset`.
  private var offset = 0
  private var line = 1
  private var column = 1

  mutating func place(ofByte target: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (Int, Int) {
    let end = min(target, bytes.count)
    if end < offset { self = PlaceCounter() }
    while offset < end {
      let c = bytes[offset]
      if c == 0x0A {
        line += 1
        column = 1
      } else if c & 0xC0 != 0x80 {
        column += 1
      }
      offset += 1
    }
    return (line, column)
  }
}

private struct Parser {
  /// The bytes, valid while the parser runs (inside `withUnsafeBytes`).
  let s: UnsafeBufferPointer<UInt8>
  var i = 0
  let n: Int
  let recordPositions: Bool
  /// Whether the path of each key is built (for its place).
  let tracksPaths: Bool
  var version = TOMLVersion.v1_1
  var positions: [[PathSegment]: SourcePosition] = [:]
  /// Recorded when asked for (`TOMLParser.layout`).
  var layout: TOMLLayout?
  /// Inline tables around the current key (their lines are not lines of the file's layout).
  var inlineLevel = 0
  var places = PlaceCounter()
  var order = 0
  /// How deep the current value sits in the tree: the tables and arrays around it, however
  /// written (headers, dotted keys, `[`, `{`). Bounded, so that a file of thousands of `[` is an
  /// error, not a stack overflow, and so that every tree that parses is one the writer's output
  /// parses back to (a dotted key 150 long is written as inline tables 150 deep; found by the
  /// fuzzer).
  var depth = 0
  /// `depth` at the current header's table.
  var currentDepth = 0
  static let maxDepth = 100
  /// Every table of the document; the root is the first.
  var tables = [ParseTable(.header)]
  /// The elements of each array of tables, appended to in place.
  var lists: [[Int]] = []
  let root = 0
  /// The table that `key = value` lines go into, and its path (for positions).
  var current = 0
  var currentPath: [PathSegment] = []

  init(_ bytes: UnsafeBufferPointer<UInt8>, recordPositions: Bool, layout: Bool = false) {
    s = bytes
    n = bytes.count
    self.recordPositions = recordPositions
    tracksPaths = recordPositions
  }

  /// A new table in the arena.
  mutating func newTable(_ origin: ParseTable.Origin) -> Int {
    tables.append(ParseTable(origin))
    return tables.count - 1
  }

  /// The finished table. Its parts are let go as they are built, so that the parse tree and the
  /// result are not both whole in memory at once.
  mutating func build(_ t: Int) -> TOMLDict {
    // The entries are taken (the arena lets go of them, so this array is the only one and is
    // changed in place): only the places of tables of the arena are filled in.
    var parts = tables[t].entries
    tables[t].entries = []
    tables[t].index = nil
    if let links = tables[t].links {
      tables[t].links = nil
      for (position, node) in links { parts[position].value = build(node) }
    }
    return TOMLDict(ordered: parts)
  }

  mutating func build(_ node: ParseNode) -> TOMLNode {
    switch node {
    case .value(let v): return v
    case .table(let t): return .table(build(t))
    case .tables(let l):
      let items = lists[l]
      lists[l] = []
      var built: [TOMLNode] = []
      built.reserveCapacity(items.count)
      for t in items { built.append(.table(build(t))) }
      return .array(built)
    }
  }

  // MARK: Errors and places

  func error(_ message: String, at offset: Int? = nil) -> TOMLSyntaxError {
    let (line, column) = TOMLParser.place(ofByte: offset ?? i, in: s)
    return TOMLSyntaxError(message: message, line: line, column: column)
  }

  mutating func record(_ path: [PathSegment], at offset: Int) {
    guard recordPositions, positions[path] == nil else { return }
    order += 1
    let (line, column) = places.place(ofByte: offset, in: s)
    positions[path] = SourcePosition(line: line, column: column, order: order)
  }

  /// Describes the byte at `i` for a message.
  func found() -> String {
    guard i < n else { return "the end of the file" }
    switch s[i] {
    case 0x0A, 0x0D: return "the end of the line"
    case 0x20...0x7E: return "'\(Character(Unicode.Scalar(s[i])))'"
    default: return "byte 0x\(String(s[i], radix: 16, uppercase: true))"
    }
  }

  // MARK: Whitespace, comments, newlines

  mutating func skipSpaces() {
    while i < n && (s[i] == 0x20 || s[i] == 0x09) { i += 1 }
  }

  mutating func skipComment() throws(TOMLSyntaxError) {
    guard i < n, s[i] == UInt8(ascii: "#") else { return }
    i += 1
    while i < n && s[i] != 0x0A {
      let c = s[i]
      if c == 0x0D && i + 1 < n && s[i + 1] == 0x0A { break }
      if (c < 0x20 && c != 0x09) || c == 0x7F { throw error("control character in a comment") }
      i += 1
    }
  }

  /// At a newline (LF or CRLF): consumes it and returns true.
  mutating func newline() -> Bool {
    if i < n && s[i] == 0x0A {
      i += 1
      return true
    }
    if i + 1 < n && s[i] == 0x0D && s[i + 1] == 0x0A {
      i += 2
      return true
    }
    return false
  }

  /// After a key/value pair or a header: spaces, an optional comment, then a newline or the end.
  mutating func endOfLine() throws(TOMLSyntaxError) {
    skipSpaces()
    try skipComment()
    if i >= n || newline() { return }
    throw error("expected the end of the line after the value, found \(found())")
  }

  /// Inside an array: spaces, newlines and comments.
  mutating func skipArrayFiller() throws(TOMLSyntaxError) {
    while i < n {
      let c = s[i]
      if c == 0x20 || c == 0x09 {
        i += 1
      } else if c == UInt8(ascii: "#") {
        try skipComment()
      } else if !newline() {
        return
      }
    }
  }

  // MARK: The document

  mutating func run() throws(TOMLSyntaxError) -> TOMLDict {
    // A byte order mark is allowed at the start.
    if n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF { i = 3 }
    while i < n {
      skipSpaces()
      if i >= n { break }
      let c = s[i]
      if c == UInt8(ascii: "#") {
        try skipComment()
        if i < n && !newline() { throw error("expected the end of the line, found \(found())") }
      } else if newline() {
        continue
      } else if c == UInt8(ascii: "[") {
        try header()
      } else if c == 0x0D {
        throw error("a carriage return must be followed by a line feed")
      } else {
        depth = currentDepth
        try keyValue(into: current, path: currentPath)
        try endOfLine()
      }
    }
    return build(root)
  }

  mutating func header() throws(TOMLSyntaxError) {
    let start = i
    let isArray = i + 1 < n && s[i + 1] == UInt8(ascii: "[")
    i += isArray ? 2 : 1
    skipSpaces()
    let keys = try keyPath()
    skipSpaces()
    if isArray {
      guard i + 1 < n, s[i] == UInt8(ascii: "]"), s[i + 1] == UInt8(ascii: "]") else {
        throw error("expected ']]' to close the array-of-tables header, found \(found())")
      }
      i += 2
    } else {
      guard i < n, s[i] == UInt8(ascii: "]") else {
        throw error("expected ']' to close the table header, found \(found())")
      }
      i += 1
    }
    let headerEnd = i
    try endOfLine()

    var table = root
    var path: [PathSegment] = []
    var level = 0
    for (k, (key, keyStart)) in keys.enumerated() {
      let last = k == keys.count - 1
      if tracksPaths { path.append(.key(key)) }
      let existing = tables[table][key]
      // The table or array at this key, and the element table of an array of tables.
      level += last && isArray ? 2 : 1
      if case .tables? = existing, !last { level += 1 }
      if level > Self.maxDepth { throw tooDeep(at: keyStart) }
      if last && isArray {
        let element = newTable(.arrayElement)
        switch existing {
        case nil:
          lists.append([element])
          tables[table].add(key, .tables(lists.count - 1))
          record(path, at: start)
          if tracksPaths { path.append(.index(0)) }
          layout?.links.append(.init(child: element, parent: table, segments: [.key(key), .index(0)]))
        case .tables(let list)?:
          lists[list].append(element)
          if tracksPaths { path.append(.index(lists[list].count - 1)) }
          layout?.links.append(
            .init(child: element, parent: table, segments: [.key(key), .index(lists[list].count - 1)]))
        default:
          throw error("\(describe(keys)) is already defined as something other than an array of tables", at: keyStart)
        }
        record(path, at: start)
        table = element
      } else if last {
        switch existing {
        case nil:
          let t = newTable(.header)
          tables[table].add(key, .table(t))
          layout?.links.append(.init(child: t, parent: table, segments: [.key(key)]))
          table = t
        case .table(let t)?:
          guard tables[t].origin == .implicit else {
            throw error("table \(describe(keys)) is defined twice", at: keyStart)
          }
          tables[t].origin = .header
          table = t
        default:
          throw error("\(describe(keys)) is already defined as a value, not a table", at: keyStart)
        }
        record(path, at: start)
      } else {
        switch existing {
        case nil:
          let t = newTable(.implicit)
          tables[table].add(key, .table(t))
          layout?.links.append(.init(child: t, parent: table, segments: [.key(key)]))
          table = t
        case .table(let t)?:
          if tables[t].origin == .inline {
            throw error("inline table \(describe(Array(keys[...k]))) cannot be extended", at: keyStart)
          }
          table = t
        case .tables(let list)?:
          table = lists[list][lists[list].count - 1]
          if tracksPaths { path.append(.index(lists[list].count - 1)) }
        case .value?:
          throw error("\(describe(Array(keys[...k]))) is already defined as a value, not a table", at: keyStart)
        }
        record(path, at: start)
      }
    }
    current = table
    currentPath = path
    currentDepth = level
    layout?.headers.append(TOMLLayout.Header(table: table, start: start, end: headerEnd, isArrayElement: isArray))
  }

  func describe(_ keys: [(String, Int)]) -> String {
    "[" + keys.map { TOMLWriter.formatKey($0.0) }.joined(separator: ".") + "]"
  }

  /// `key = value` (the key may be dotted) into `table`.
  mutating func keyValue(into table: Int, path: [PathSegment]) throws(TOMLSyntaxError) {
    let start = i
    if try singleBareKeyValue(into: table, path: path) { return }
    let keys = try keyPath()
    let keyEnd = i
    skipSpaces()
    guard i < n, s[i] == UInt8(ascii: "=") else {
      throw error("expected '=' after the key \(describe(keys)), found \(found())")
    }
    i += 1
    skipSpaces()
    var t = table
    var p = path
    let outer = depth
    defer { depth = outer }
    depth += keys.count - 1
    if depth > Self.maxDepth { throw tooDeep(at: keys[Self.maxDepth - outer].1) }
    for (k, (key, keyStart)) in keys.dropLast().enumerated() {
      if tracksPaths {
        p.append(.key(key))
        record(p, at: start)
      }
      switch tables[t][key] {
      case nil:
        let inner = newTable(.dotted)
        tables[t].add(key, .table(inner))
        layout?.links.append(.init(child: inner, parent: t, segments: [.key(key)]))
        t = inner
      case .table(let inner)?:
        let origin = tables[inner].origin
        guard origin == .dotted || (origin == .implicit && tables[t].origin != .inline) else {
          throw error("\(describe(Array(keys[...k]))) is already defined and cannot be extended here", at: keyStart)
        }
        if origin == .implicit { tables[inner].origin = .dotted }
        t = inner
      default:
        throw error("\(describe(Array(keys[...k]))) is already defined as a value, not a table", at: keyStart)
      }
    }
    let (last, lastStart) = keys[keys.count - 1]
    if tables[t][last] != nil { throw error("duplicate key \(describe(keys))", at: lastStart) }
    if tracksPaths {
      p.append(.key(last))
      record(p, at: start)
    }
    let valueStart = i
    let node = try value(path: p)
    tables[t].add(last, node)
    if layout != nil && inlineLevel == 0 {
      layout!.entries.append(
        TOMLLayout.Entry(
          table: t, key: last, keyStart: start, keyEnd: keyEnd, valueStart: valueStart, valueEnd: i))
    }
  }

  /// `key = value` with one bare key, the usual line, without the array of keys a dotted key
  /// needs (an allocation per line). Returns false, having read nothing, for any other key.
  mutating func singleBareKeyValue(into table: Int, path: [PathSegment]) throws(TOMLSyntaxError) -> Bool {
    let start = i
    var end = i
    while end < n && isBare(s[end]) { end += 1 }
    guard end > start else { return false }
    var equals = end
    while equals < n && (s[equals] == 0x20 || s[equals] == 0x09) { equals += 1 }
    guard equals < n && s[equals] == UInt8(ascii: "=") else { return false }
    let key = String(decoding: UnsafeBufferPointer(rebasing: s[start..<end]), as: UTF8.self)
    if tables[table][key] != nil { throw error("duplicate key \(describe([(key, start)]))", at: start) }
    i = equals + 1
    skipSpaces()
    var p = path
    if tracksPaths {
      p.append(.key(key))
      record(p, at: start)
    }
    let valueStart = i
    tables[table].add(key, try value(path: p))
    if layout != nil && inlineLevel == 0 {
      layout!.entries.append(
        TOMLLayout.Entry(
          table: table, key: key, keyStart: start, keyEnd: end, valueStart: valueStart, valueEnd: i))
    }
    return true
  }

  // MARK: Keys

  /// A key path: bare or quoted keys separated by dots. Each with its byte offset.
  mutating func keyPath() throws(TOMLSyntaxError) -> [(String, Int)] {
    var keys: [(String, Int)] = []
    while true {
      skipSpaces()
      let start = i
      guard i < n else { throw error("expected a key, found the end of the file") }
      let c = s[i]
      if c == UInt8(ascii: "\"") {
        if i + 2 < n && s[i + 1] == c && s[i + 2] == c { throw error("a key cannot be a multi-line string") }
        keys.append((try basicString(), start))
      } else if c == UInt8(ascii: "'") {
        if i + 2 < n && s[i + 1] == c && s[i + 2] == c { throw error("a key cannot be a multi-line string") }
        keys.append((try literalString(), start))
      } else if isBare(c) {
        while i < n && isBare(s[i]) { i += 1 }
        keys.append((String(decoding: s[start..<i], as: UTF8.self), start))
      } else {
        throw error("expected a key, found \(found())")
      }
      skipSpaces()
      if i < n && s[i] == UInt8(ascii: ".") {
        i += 1
      } else {
        return keys
      }
    }
  }

  func isBare(_ c: UInt8) -> Bool {
    (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x5F || c == 0x2D
  }

  // MARK: Values

  mutating func value(path: [PathSegment]) throws(TOMLSyntaxError) -> ParseNode {
    guard i < n else { throw error("expected a value, found the end of the file") }
    let c = s[i]
    switch c {
    case UInt8(ascii: "\""):
      if i + 2 < n && s[i + 1] == c && s[i + 2] == c { return .value(.string(try multilineBasicString())) }
      return .value(.string(try basicString()))
    case UInt8(ascii: "'"):
      if i + 2 < n && s[i + 1] == c && s[i + 2] == c { return .value(.string(try multilineLiteralString())) }
      return .value(.string(try literalString()))
    case UInt8(ascii: "["):
      return .value(try array(path: path))
    case UInt8(ascii: "{"):
      return .table(try inlineTable(path: path))
    case UInt8(ascii: "t"):
      if matches("true") {
        i += 4
        return .value(.bool(true))
      }
    case UInt8(ascii: "f"):
      if matches("false") {
        i += 5
        return .value(.bool(false))
      }
    default:
      break
    }
    if c == UInt8(ascii: "+") || c == UInt8(ascii: "-") || (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: "i")
      || c == UInt8(ascii: "n")
    {
      return .value(try numberOrDate())
    }
    throw error("expected a value (a string, number, boolean, date, array or table), found \(found())")
  }

  func matches(_ word: StaticString) -> Bool {
    let count = word.utf8CodeUnitCount
    guard i + count <= n else { return false }
    let p = word.utf8Start
    for k in 0..<count where s[i + k] != p[k] { return false }
    // The word must end there.
    if i + count < n && (isBare(s[i + count]) || s[i + count] == UInt8(ascii: ".")) { return false }
    return true
  }

  /// Enters an array or inline table (`open` is where it starts).
  mutating func nest(_ open: Int) throws(TOMLSyntaxError) {
    depth += 1
    if depth > Self.maxDepth { throw tooDeep(at: open) }
  }

  func tooDeep(at offset: Int) -> TOMLSyntaxError {
    error("tables and arrays nested more than \(Self.maxDepth) deep", at: offset)
  }

  mutating func array(path: [PathSegment]) throws(TOMLSyntaxError) -> TOMLNode {
    let open = i
    try nest(open)
    defer { depth -= 1 }
    i += 1  // [
    var elements: [TOMLNode] = []
    while true {
      try skipArrayFiller()
      guard i < n else { throw error("unterminated array: no ']' before the end of the file", at: open) }
      if s[i] == UInt8(ascii: "]") {
        i += 1
        return .array(elements)
      }
      var p = path
      if tracksPaths {
        p.append(.index(elements.count))
        record(p, at: i)
      }
      let element = try value(path: p)
      elements.append(build(element))
      try skipArrayFiller()
      guard i < n else { throw error("unterminated array: no ']' before the end of the file", at: open) }
      if s[i] == UInt8(ascii: ",") {
        i += 1
      } else if s[i] != UInt8(ascii: "]") {
        throw error("expected ',' or ']' in the array, found \(found())")
      }
    }
  }

  /// Between the parts of an inline table: spaces, and in TOML 1.1 newlines and comments too.
  mutating func inlineFiller() throws(TOMLSyntaxError) {
    guard version == .v1_0 else { return try skipArrayFiller() }
    skipSpaces()
    if i < n && (s[i] == 0x0A || s[i] == 0x0D || s[i] == UInt8(ascii: "#")) {
      throw error("a newline or a comment inside an inline table needs TOML 1.1")
    }
  }

  /// `{ key = value, … }`. As in TOML 1.1, newlines, comments and a trailing comma are allowed
  /// inside (TOML 1.0 files parse the same; in 1.0 mode they are refused).
  mutating func inlineTable(path: [PathSegment]) throws(TOMLSyntaxError) -> Int {
    let open = i
    try nest(open)
    defer { depth -= 1 }
    i += 1  // {
    inlineLevel += 1
    defer { inlineLevel -= 1 }
    let table = newTable(.header)
    var afterComma = false
    while true {
      try inlineFiller()
      guard i < n else { throw error("unterminated inline table: no '}' before the end of the file", at: open) }
      if s[i] == UInt8(ascii: "}") {
        if afterComma && version == .v1_0 { throw error("a trailing comma in an inline table needs TOML 1.1") }
        i += 1
        break
      }
      try keyValue(into: table, path: path)
      try inlineFiller()
      guard i < n else { throw error("unterminated inline table: no '}' before the end of the file", at: open) }
      if s[i] == UInt8(ascii: ",") {
        i += 1
        afterComma = true
        continue
      }
      if s[i] == UInt8(ascii: "}") {
        i += 1
        break
      }
      throw error("expected ',' or '}' in the inline table, found \(found())")
    }
    // Everything inside is closed, dotted tables included.
    close(table)
    return table
  }

  mutating func close(_ table: Int) {
    tables[table].origin = .inline
    for case .table(let t) in (tables[table].links ?? [:]).values { close(t) }
  }

  // MARK: Strings

  /// Appends the bytes of a string's escape sequence at `i` (after the backslash).
  mutating func escape(into out: inout [UInt8]) throws(TOMLSyntaxError) {
    guard i < n else { throw error("unterminated escape sequence") }
    let e = s[i]
    if version == .v1_0 && (e == UInt8(ascii: "e") || e == UInt8(ascii: "x")) {
      throw error("the escape \\\(Character(Unicode.Scalar(e))) needs TOML 1.1")
    }
    i += 1
    switch e {
    case UInt8(ascii: "n"): out.append(0x0A)
    case UInt8(ascii: "t"): out.append(0x09)
    case UInt8(ascii: "r"): out.append(0x0D)
    case UInt8(ascii: "b"): out.append(0x08)
    case UInt8(ascii: "f"): out.append(0x0C)
    case UInt8(ascii: "e"): out.append(0x1B)
    case UInt8(ascii: "\""): out.append(0x22)
    case UInt8(ascii: "\\"): out.append(0x5C)
    case UInt8(ascii: "u"), UInt8(ascii: "U"), UInt8(ascii: "x"):
      let count = e == UInt8(ascii: "u") ? 4 : e == UInt8(ascii: "U") ? 8 : 2
      var v: UInt32 = 0
      for _ in 0..<count {
        guard i < n, let d = hexDigit(s[i]) else {
          throw error("expected \(count) hexadecimal digits after \\\(Character(Unicode.Scalar(e)))")
        }
        v = v * 16 + UInt32(d)
        i += 1
      }
      guard let u = Unicode.Scalar(v) else {
        throw error("\\\(Character(Unicode.Scalar(e))) escape is not a Unicode scalar value", at: i - count - 2)
      }
      out.append(contentsOf: Array(String(u).utf8))
    default:
      throw error("unknown escape sequence \\\(Character(Unicode.Scalar(e)))", at: i - 2)
    }
  }

  func hexDigit(_ c: UInt8) -> UInt8? {
    switch c {
    case 0x30...0x39: return c - 0x30
    case 0x41...0x46: return c - 0x41 + 10
    case 0x61...0x66: return c - 0x61 + 10
    default: return nil
    }
  }

  func checkContent(_ c: UInt8) throws(TOMLSyntaxError) {
    if (c < 0x20 && c != 0x09) || c == 0x7F {
      throw error(
        "control character U+\(String(format4: UInt32(c))) in a string (write it as an escape, e.g. \\u\(String(format4: UInt32(c))))"
      )
    }
  }

  mutating func basicString() throws(TOMLSyntaxError) -> String {
    try singleLineString(UInt8(ascii: "\""), escapes: true)
  }

  mutating func literalString() throws(TOMLSyntaxError) -> String {
    try singleLineString(UInt8(ascii: "'"), escapes: false)
  }

  func column(of offset: Int) -> Int { TOMLParser.place(ofByte: offset, in: s).1 }

  /// A one-line string: basic (with escapes) or literal (as written). Text without escapes is
  /// taken straight from the bytes; the first backslash of a basic string switches to a copy.
  mutating func singleLineString(_ quote: UInt8, escapes: Bool) throws(TOMLSyntaxError) -> String {
    let open = i
    i += 1
    let start = i
    // Most strings are plain text up to the closing quote: one tight scan, then one decode.
    let backslash: UInt8 = escapes ? 0x5C : quote
    while i < n {
      let c = s[i]
      if c == quote {
        i += 1
        return String(decoding: UnsafeBufferPointer(rebasing: s[start..<(i - 1)]), as: UTF8.self)
      }
      if c < 0x20 || c == 0x7F || c == backslash { break }
      i += 1
    }
    var out: [UInt8]?
    while i < n {
      let c = s[i]
      if c == quote {
        let text = out.map { String(decoding: $0, as: UTF8.self) } ?? String(decoding: s[start..<i], as: UTF8.self)
        i += 1
        return text
      }
      if escapes && c == UInt8(ascii: "\\") {
        if out == nil { out = Array(s[start..<i]) }
        i += 1
        try escape(into: &out!)
        continue
      }
      if c == 0x0A || c == 0x0D { break }
      try checkContent(c)
      out?.append(c)
      i += 1
    }
    throw error("unterminated string (opened at column \(column(of: open)))")
  }

  mutating func multilineBasicString() throws(TOMLSyntaxError) -> String {
    try multilineString(UInt8(ascii: "\""), escapes: true)
  }

  mutating func multilineLiteralString() throws(TOMLSyntaxError) -> String {
    try multilineString(UInt8(ascii: "'"), escapes: false)
  }

  /// A multi-line basic string (escapes, line-ending backslashes) or literal string (as written).
  mutating func multilineString(_ quote: UInt8, escapes: Bool) throws(TOMLSyntaxError) -> String {
    let open = i
    i += 3
    _ = newline()  // a newline right after the opening quotes is not part of the string
    var out: [UInt8] = []
    let backslash: UInt8 = escapes ? 0x5C : quote
    while i < n {
      // A run of plain text (no quote, backslash, CR or control character) is copied at once.
      let run = i
      while i < n {
        let c = s[i]
        if (c < 0x20 && c != 0x0A && c != 0x09) || c == 0x7F || c == quote || c == backslash { break }
        i += 1
      }
      if i > run { out.append(contentsOf: UnsafeBufferPointer(rebasing: s[run..<i])) }
      guard i < n else { break }
      let c = s[i]
      if c == quote && i + 2 < n && s[i + 1] == quote && s[i + 2] == quote {
        i += 3
        // Up to two more quotes belong to the content.
        var extra = 0
        while extra < 2 && i < n && s[i] == quote {
          out.append(quote)
          i += 1
          extra += 1
        }
        return String(decoding: out, as: UTF8.self)
      }
      if escapes && c == UInt8(ascii: "\\") {
        // A backslash at the end of a line trims the newline and the whitespace after it.
        var j = i + 1
        while j < n && (s[j] == 0x20 || s[j] == 0x09) { j += 1 }
        if j < n && (s[j] == 0x0A || (s[j] == 0x0D && j + 1 < n && s[j + 1] == 0x0A)) {
          i = j
          while i < n && (s[i] == 0x20 || s[i] == 0x09 || s[i] == 0x0A || s[i] == 0x0D) {
            if s[i] == 0x0D && !(i + 1 < n && s[i + 1] == 0x0A) {
              throw error("a carriage return must be followed by a line feed")
            }
            i += 1
          }
          continue
        }
        i += 1
        try escape(into: &out)
        continue
      }
      if c == 0x0D {
        guard i + 1 < n && s[i + 1] == 0x0A else { throw error("a carriage return must be followed by a line feed") }
        out.append(0x0A)
        i += 2
        continue
      }
      if c != 0x0A { try checkContent(c) }
      out.append(c)
      i += 1
    }
    throw error("unterminated multi-line string (opened at line \(TOMLParser.place(ofByte: open, in: s).0))")
  }

  // MARK: Numbers and dates

  /// The token of a number or date: everything up to a separator.
  mutating func numberOrDate() throws(TOMLSyntaxError) -> TOMLNode {
    let start = i
    // A date or time: digits then '-' at 4 or ':' at 2.
    if isDigit(at: i) && isDigit(at: i + 1) {
      if i + 2 < n && s[i + 2] == UInt8(ascii: ":") { return try time(start) }
      if isDigit(at: i + 2) && isDigit(at: i + 3) && i + 4 < n && s[i + 4] == UInt8(ascii: "-") {
        return try date(start)
      }
    }
    while i < n {
      let c = s[i]
      if isBare(c) || c == UInt8(ascii: ".") || c == UInt8(ascii: "+") {
        i += 1
      } else {
        break
      }
    }
    if let v = plainInteger(start, i) { return .integer(v) }
    if let v = plainFloat(start, i) { return .float(v) }
    let token = String(decoding: s[start..<i], as: UTF8.self)
    if let v = Self.integer(token) { return .integer(v) }
    if let v = Self.float(token) { return .float(v) }
    throw error("invalid number \"\(token)\"", at: start)
  }

  /// The common case without allocating: an optional sign and up to 18 digits, no leading zero.
  func plainInteger(_ from: Int, _ to: Int) -> Int? {
    var k = from
    var negative = false
    if k < to && (s[k] == UInt8(ascii: "+") || s[k] == UInt8(ascii: "-")) {
      negative = s[k] == UInt8(ascii: "-")
      k += 1
    }
    let count = to - k
    guard count >= 1, count <= 18, count == 1 || s[k] != UInt8(ascii: "0") else { return nil }
    var v = 0
    while k < to {
      let c = s[k]
      guard c >= 0x30 && c <= 0x39 else { return nil }
      v = v * 10 + Int(c - 0x30)
      k += 1
    }
    return negative ? -v : v
  }

  /// A float without underscores, inf or nan: sign, digits (no leading zero), then a fraction,
  /// an exponent or both.
  func plainFloat(_ from: Int, _ to: Int) -> Double? {
    var k = from
    if k < to && (s[k] == UInt8(ascii: "+") || s[k] == UInt8(ascii: "-")) { k += 1 }
    func digitRun() -> Int {
      let begin = k
      while k < to && s[k] >= 0x30 && s[k] <= 0x39 { k += 1 }
      return k - begin
    }
    let intStart = k
    let intDigits = digitRun()
    guard intDigits > 0, intDigits == 1 || s[intStart] != UInt8(ascii: "0") else { return nil }
    var decorated = false
    if k < to && s[k] == UInt8(ascii: ".") {
      k += 1
      guard digitRun() > 0 else { return nil }
      decorated = true
    }
    if k < to && (s[k] == UInt8(ascii: "e") || s[k] == UInt8(ascii: "E")) {
      k += 1
      if k < to && (s[k] == UInt8(ascii: "+") || s[k] == UInt8(ascii: "-")) { k += 1 }
      guard digitRun() > 0 else { return nil }
      decorated = true
    }
    guard decorated, k == to else { return nil }
    return Double(String(decoding: s[from..<to], as: UTF8.self))
  }

  func isDigit(at k: Int) -> Bool { k < n && s[k] >= 0x30 && s[k] <= 0x39 }

  /// `count` digits; their value.
  @discardableResult
  mutating func digits(_ count: Int) throws(TOMLSyntaxError) -> Int {
    var value = 0
    for _ in 0..<count {
      guard isDigit(at: i) else { throw error("invalid date or time: expected a digit, found \(found())") }
      value = value * 10 + Int(s[i] - 0x30)
      i += 1
    }
    return value
  }

  /// Two digits no greater than `max` (a month, an hour, …), named in the error.
  mutating func field(_ name: String, _ range: ClosedRange<Int>) throws(TOMLSyntaxError) -> Int {
    let at = i
    let v = try digits(2)
    guard range.contains(v) else {
      i = at
      throw error("invalid date or time: \(name) \(v) is not \(range.lowerBound)–\(range.upperBound)")
    }
    return v
  }

  static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  mutating func expect(_ c: Character) throws(TOMLSyntaxError) {
    guard i < n, s[i] == c.asciiValue! else { throw error("invalid date or time: expected '\(c)', found \(found())") }
    i += 1
  }

  /// HH:MM[:SS[.fraction]]
  mutating func timePart() throws(TOMLSyntaxError) {
    _ = try field("hour", 0...23)
    try expect(":")
    _ = try field("minute", 0...59)
    guard i < n && s[i] == UInt8(ascii: ":") else {
      // TOML 1.1: seconds are optional.
      if version == .v1_0 { throw error("invalid date or time: seconds are needed before TOML 1.1") }
      return
    }
    i += 1
    // (60: a leap second, which RFC 3339 allows.)
    _ = try field("second", 0...60)
    if i < n && s[i] == UInt8(ascii: ".") {
      i += 1
      try digits(1)
      while isDigit(at: i) { i += 1 }
    }
  }

  mutating func time(_ start: Int) throws(TOMLSyntaxError) -> TOMLNode {
    try timePart()
    return .datetime(String(decoding: s[start..<i], as: UTF8.self))
  }

  mutating func date(_ start: Int) throws(TOMLSyntaxError) -> TOMLNode {
    let year = try digits(4)
    try expect("-")
    let month = try field("month", 1...12)
    try expect("-")
    _ = try field("day", 1...Self.daysIn(month: month, year: year))
    let dateEnd = i
    // A time may follow after 'T', 't' or one space (then a digit must come).
    var sep: UInt8 = 0
    if i < n && (s[i] == UInt8(ascii: "T") || s[i] == UInt8(ascii: "t")) {
      sep = s[i]
    } else if i < n && s[i] == 0x20 && isDigit(at: i + 1) {
      sep = 0x20
    }
    if sep == 0 { return .datetime(String(decoding: s[start..<dateEnd], as: UTF8.self)) }
    i += 1
    try timePart()
    if i < n && (s[i] == UInt8(ascii: "Z") || s[i] == UInt8(ascii: "z")) {
      i += 1
    } else if i < n && (s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-")) {
      i += 1
      _ = try field("offset hour", 0...23)
      try expect(":")
      _ = try field("offset minute", 0...59)
    }
    return .datetime(String(decoding: s[start..<i], as: UTF8.self))
  }

  /// A TOML integer: decimal (sign, no leading zeros), 0x / 0o / 0b; underscores between digits.
  static func integer(_ token: String) -> Int? {
    var t = Substring(token)
    var radix = 10
    if t.hasPrefix("0x") || t.hasPrefix("0o") || t.hasPrefix("0b") {
      radix = t.hasPrefix("0x") ? 16 : t.hasPrefix("0o") ? 8 : 2
      t = t.dropFirst(2)
      guard !t.isEmpty, !t.hasPrefix("+"), !t.hasPrefix("-") else { return nil }
    } else {
      var digits = t
      if digits.hasPrefix("+") || digits.hasPrefix("-") { digits = digits.dropFirst() }
      guard let first = digits.first, first.isASCII, first.isNumber else { return nil }
      if first == "0" && digits.count > 1 { return nil }
    }
    guard underscoresOK(t) else { return nil }
    return Int(String(t.filter { $0 != "_" }), radix: radix)
  }

  /// Underscores only between two digits.
  static func underscoresOK(_ t: Substring) -> Bool {
    let chars = Array(t)
    for (k, c) in chars.enumerated() where c == "_" {
      guard k > 0, k + 1 < chars.count, chars[k - 1].isHexDigit, chars[k + 1].isHexDigit else { return false }
    }
    return true
  }

  static func float(_ token: String) -> Double? {
    var body = Substring(token)
    var sign = 1.0
    if body.hasPrefix("+") || body.hasPrefix("-") {
      if body.hasPrefix("-") { sign = -1 }
      body = body.dropFirst()
    }
    if body == "inf" { return sign * .infinity }
    if body == "nan" { return .nan }
    // digits [. digits] [e|E [sign] digits], with at least a fraction or an exponent.
    let chars = Array(body)
    var k = 0
    func digitRun() -> Bool {
      let from = k
      while k < chars.count, chars[k].isASCII, chars[k].isNumber || chars[k] == "_" { k += 1 }
      return k > from
    }
    guard digitRun() else { return nil }
    let intPart = chars[0..<k]
    if intPart.count > 1 && intPart.first == "0" { return nil }
    var hasFraction = false
    var hasExponent = false
    if k < chars.count && chars[k] == "." {
      k += 1
      guard digitRun() else { return nil }
      hasFraction = true
    }
    if k < chars.count && (chars[k] == "e" || chars[k] == "E") {
      k += 1
      if k < chars.count && (chars[k] == "+" || chars[k] == "-") { k += 1 }
      guard digitRun() else { return nil }
      hasExponent = true
    }
    guard k == chars.count, hasFraction || hasExponent else { return nil }
    // Underscores only between digits, in every part.
    for part in body.split(whereSeparator: { $0 == "." || $0 == "e" || $0 == "E" || $0 == "+" || $0 == "-" }) {
      guard underscoresOK(part) else { return nil }
    }
    guard let v = Double(String(body.filter { $0 != "_" })) else { return nil }
    return sign * v
  }
}
