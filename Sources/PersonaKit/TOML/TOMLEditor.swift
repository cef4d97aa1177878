import FoundationEssentials

/// Where the lines of a document stand, in bytes: every `key = value` line (outside inline
/// tables) and every table header, in file order, each with the table it belongs to (an index of
/// the parser's arena: paths are made only for the few a change asks about). Made by
/// `TOMLParser.layout`.
struct TOMLLayout: Sendable {
  struct Entry: Sendable {
    /// The table the key is in, and the key (the last of a dotted key).
    var table: Int
    var key: String
    var keyStart: Int
    /// Just after the key (dotted or not), before the spaces and `=`.
    var keyEnd: Int
    var valueStart: Int
    var valueEnd: Int
  }

  struct Header: Sendable {
    var table: Int
    var start: Int
    /// Just after the closing `]` (or `]]`).
    var end: Int
    var isArrayElement: Bool
  }

  /// A table of the arena under another: by a key, or by a key and an index (`[[…]]`).
  struct Link: Sendable {
    var child: Int
    var parent: Int
    var segments: [PathSegment]
  }

  var entries: [Entry] = []
  var headers: [Header] = []
  var links: [Link] = []
}

/// Saves that change only the bytes of what changed (as `git config` and toml_edit do): a user's
/// comments, blank lines, key order, quoting, number spellings and line ends stay wherever the
/// change does not reach.
///
/// - A changed value is replaced in place: its key, its position and its inline comment stay; a
///   string written as a literal stays a literal where it can, a multi-line array stays one.
/// - A removed key takes its line; a removed table takes its section, its subsections and the
///   comment block directly above its header.
/// - A new key goes after the last line of its table (as a dotted key when its table is one);
///   a new table goes after the last section of the table that holds it, in the writer's layout.
/// - Elements of a top-level array of tables (`[[tickets]]`) are compared in order; new ones are
///   appended, removed ones take their sections.
///
/// What cannot be placed so (a value changing type between a line and a section, an array of
/// tables inside another) gives nil: the caller writes the file whole. So does any result that
/// would not read back as exactly the new tree — a check after every edit, so that a change
/// placed wrongly can never reach the disk.
public enum TOMLEditor {
  public static func edit(_ data: Data, from old: TOMLDict, to new: TOMLDict) -> Data? {
    edited(data, from: old, to: new)?.data
  }

  /// The same from a parse that may carry its layout (one a save made): the layout is not read
  /// again. Returns the new bytes with their parse, which carries theirs.
  public static func edit(_ data: Data, from old: ParsedTOML, to new: TOMLDict) -> (data: Data, parsed: ParsedTOML)? {
    edited(data, from: old.root, to: new, layout: old.layout)
  }

  /// The edited bytes with their parse (the check's, kept for the save that writes them, with the
  /// layout the next save starts from). `layout`: the old bytes' layout, when known.
  static func edited(_ data: Data, from old: TOMLDict, to new: TOMLDict, layout known: TOMLLayout? = nil)
    -> (data: Data, parsed: ParsedTOML)?
  {
    guard let layout = known ?? TOMLParser.layout(data) else { return nil }
    var editor = Editor(bytes: [UInt8](data), layout: layout)
    guard editor.diff([], .table(old), .table(new)), let out = editor.apply() else { return nil }
    let result = Data(out)
    guard let parsed = TOMLParser.parsedWithLayout(result), same(.table(parsed.root), .table(new)) else {
      return nil
    }
    return (result, parsed)
  }

  /// The same values, tables compared by key (a key added goes where its table's lines are, not
  /// always where the tree has it).
  static func same(_ a: TOMLNode, _ b: TOMLNode) -> Bool {
    switch (a, b) {
    case (.table(let x), .table(let y)):
      guard x.count == y.count else { return false }
      return x.entries.allSatisfy { e in y[e.key].map { same(e.value, $0) } ?? false }
    case (.array(let x), .array(let y)):
      return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
    default:
      return a == b
    }
  }
}

private struct Editor {
  let b: [UInt8]
  let layout: TOMLLayout
  /// Each arena table's link to its parent (by index of `layout.links`; -1: none), made when a
  /// path is first asked for.
  var linkOf: [Int] = []
  /// Paths of tables, made when asked for.
  var paths: [Int: [PathSegment]] = [0: []]
  /// Replacements of byte ranges (an insertion is an empty range), in the order they were made.
  var splices: [(start: Int, end: Int, text: [UInt8])] = []
  /// The file's line end: CR LF when its first line ends so.
  let nl: [UInt8]

  init(bytes: [UInt8], layout: TOMLLayout) {
    b = bytes
    self.layout = layout
    let firstLF = bytes.firstIndex(of: 0x0A)
    nl = firstLF.map { $0 > 0 && bytes[$0 - 1] == 0x0D } == true ? [0x0D, 0x0A] : [0x0A]
  }

  // MARK: Paths

  mutating func path(ofTable t: Int) -> [PathSegment] {
    if let p = paths[t] { return p }
    if linkOf.isEmpty {
      linkOf = [Int](repeating: -1, count: (layout.links.map(\.child).max() ?? 0) + 1)
      for (k, l) in layout.links.enumerated() { linkOf[l.child] = k }
    }
    guard t < linkOf.count, linkOf[t] >= 0 else { return [] }
    let link = layout.links[linkOf[t]]
    let p = path(ofTable: link.parent) + link.segments
    paths[t] = p
    return p
  }

  mutating func path(of e: TOMLLayout.Entry) -> [PathSegment] { path(ofTable: e.table) + [.key(e.key)] }

  /// The arena table at a path, when the file has one there (not inside an inline table). (A
  /// scan of the links: a change asks for a few paths.)
  func table(at path: [PathSegment]) -> Int? {
    var t = 0
    var k = 0
    while k < path.count {
      let here = t
      if let l = layout.links.first(where: { $0.parent == here && $0.segments.count == 1 && $0.segments[0] == path[k] })
      {
        t = l.child
        k += 1
      } else if k + 1 < path.count,
        let l = layout.links.first(where: {
          $0.parent == here && $0.segments.count == 2 && $0.segments[0] == path[k] && $0.segments[1] == path[k + 1]
        })
      {
        t = l.child
        k += 2
      } else {
        return nil
      }
    }
    return t
  }

  /// The `key = value` line at a path.
  func entry(at path: [PathSegment]) -> TOMLLayout.Entry? {
    guard case .key(let key)? = path.last, let t = table(at: Array(path.dropLast())) else { return nil }
    return layout.entries.first { $0.table == t && $0.key == key }
  }

  /// The header of the table at a path, by its index in the layout.
  func header(at path: [PathSegment]) -> Int? {
    guard let t = table(at: path) else { return nil }
    return layout.headers.firstIndex { $0.table == t }
  }

  // MARK: Lines

  func lineStart(_ offset: Int) -> Int {
    var k = offset
    while k > 0 && b[k - 1] != 0x0A { k -= 1 }
    return k
  }

  /// Just after the line end that follows `offset` (the end of the file when none does).
  func lineEnd(_ offset: Int) -> Int {
    var k = offset
    while k < b.count && b[k] != 0x0A { k += 1 }
    return min(b.count, k + 1)
  }

  /// Where a header's section begins: its line, or the comment block directly above it.
  func blockStart(ofHeader h: Int) -> Int {
    var start = lineStart(layout.headers[h].start)
    while start > 0 {
      let prev = lineStart(start - 1)
      let line = b[prev..<start].drop { $0 == 0x20 || $0 == 0x09 }
      guard line.first == UInt8(ascii: "#") else { break }
      start = prev
    }
    return start
  }

  /// Where a header's section ends: where the next one's block begins, or the end of the file.
  func sectionEnd(ofHeader h: Int) -> Int {
    h + 1 < layout.headers.count ? blockStart(ofHeader: h + 1) : b.count
  }

  /// The end of the root's lines: where the first header's block begins.
  var rootEnd: Int { layout.headers.isEmpty ? b.count : blockStart(ofHeader: 0) }

  /// The byte range a table's own lines are in: its section, or the root's.
  func range(ofSection path: [PathSegment]) -> Range<Int>? {
    if path.isEmpty { return 0..<rootEnd }
    guard let h = header(at: path) else { return nil }
    return lineStart(layout.headers[h].start)..<sectionEnd(ofHeader: h)
  }

  static func hasPrefix(_ path: [PathSegment], _ prefix: [PathSegment]) -> Bool {
    path.count >= prefix.count && path[..<prefix.count].elementsEqual(prefix)
  }

  // MARK: The change, in lines

  mutating func diff(_ path: [PathSegment], _ old: TOMLNode?, _ new: TOMLNode?) -> Bool {
    // Two tables written as sections are compared key by key below, each value once; comparing
    // them whole first would walk every table of the tree once per level above it.
    let sections: Bool
    if case .table? = old, case .table? = new { sections = entry(at: path) == nil } else { sections = false }
    if !sections && old == new { return true }
    if !sections, let e = entry(at: path) {
      guard let new else {
        splices.append((lineStart(e.keyStart), lineEnd(e.valueEnd), []))
        return true
      }
      splices.append((e.valueStart, e.valueEnd, format(new, was: b[e.valueStart..<e.valueEnd])))
      return true
    }
    switch (old, new) {
    case (.table(let o)?, .table(let n)?):
      // A key gone and a key new with the same value: a rename, made in place.
      var renamed: [String: String] = [:]
      var taken: Set<String> = []
      let gone = o.entries.filter { n[$0.key] == nil }
      for (k, v) in n.entries where o[k] == nil {
        if let r = gone.first(where: { $0.value == v && renamed[$0.key] == nil }) {
          renamed[r.key] = k
          taken.insert(k)
        }
      }
      for (k, v) in o.entries {
        if let to = renamed[k] {
          if !rename(path + [.key(k)], to: to) { return false }
          continue
        }
        let now = n[k]
        if now == v { continue }  // (most of a big table: no path made for it)
        if !diff(path + [.key(k)], v, now) { return false }
      }
      for (position, (k, v)) in n.entries.enumerated() where o[k] == nil && !taken.contains(k) {
        // (A new table goes after the one before it in the new order, when that one was there.)
        let before = n.entries[..<position].last { o[$0.key] != nil || taken.contains($0.key) }?.key
        let previous = before.map { b in renamed.first { $0.value == b }?.key ?? b }
        if !insert(into: path, key: k, value: v, after: previous) { return false }
      }
      return true
    case (.array(let o)?, .array(let n)?) where header(at: path + [.index(0)]) != nil:
      guard n.allSatisfy({ $0.tableValue != nil }) else { return false }
      for i in 0..<min(o.count, n.count) where !diff(path + [.index(i)], o[i], n[i]) { return false }
      if n.count < o.count {
        for i in n.count..<o.count where !remove(path + [.index(i)]) { return false }
      }
      if n.count > o.count {
        // (Appended at the end of the file: every `[[key]]` adds to the same array. Only at the
        // top level, where the header needs no index.)
        guard path.count == 1, case .key(let key) = path[0] else { return false }
        let text = TOMLWriter.write(TOMLDict([(key, .array(Array(n[o.count...])))]))
        appendAtEnd(text)
      }
      return true
    case (.some, nil):
      return remove(path)
    default:
      return false
    }
  }

  /// Gives the key at `path` another name where it is written: in its headers and in the keys of
  /// its lines (a key's other text, its value and comments, stays).
  mutating func rename(_ path: [PathSegment], to newKey: String) -> Bool {
    let depth = path.count - 1
    func renamed(_ p: [PathSegment]) -> [PathSegment] {
      var q = p
      q[depth] = .key(newKey)
      return q
    }
    func keys(_ p: ArraySlice<PathSegment>) -> String {
      p.compactMap { segment -> String? in
        if case .key(let k) = segment { return TOMLWriter.formatKey(k) }
        return nil
      }.joined(separator: ".")
    }
    var found = false
    for h in layout.headers where Self.hasPrefix(self.path(ofTable: h.table), path) {
      let text = keys(renamed(self.path(ofTable: h.table))[...])
      splices.append((h.start, h.end, Array((h.isArrayElement ? "[[\(text)]]" : "[\(text)]").utf8)))
      found = true
    }
    for e in layout.entries where Self.hasPrefix(self.path(of: e), path) {
      // Only a line whose own key holds the renamed part (one under a renamed header is done).
      let full = self.path(of: e)
      var owner = full
      owner.removeLast()
      while !owner.isEmpty && header(at: owner) == nil { owner.removeLast() }
      guard owner.count <= depth else { continue }
      splices.append((e.keyStart, e.keyEnd, Array(keys(renamed(full)[owner.count...]).utf8)))
      found = true
    }
    return found
  }

  /// The last header (in the file) of the table at `path` or of a table under it.
  mutating func lastHeader(under path: [PathSegment]) -> Int? {
    layout.headers.indices.last { Self.hasPrefix(self.path(ofTable: layout.headers[$0].table), path) }
  }

  /// Removes a table's sections and lines (and each section's comment block).
  mutating func remove(_ path: [PathSegment]) -> Bool {
    var ranges: [Range<Int>] = []
    for (h, header) in layout.headers.enumerated() where Self.hasPrefix(self.path(ofTable: header.table), path) {
      ranges.append(blockStart(ofHeader: h)..<sectionEnd(ofHeader: h))
    }
    for e in layout.entries where Self.hasPrefix(self.path(of: e), path) {
      let r = lineStart(e.keyStart)..<lineEnd(e.valueEnd)
      if !ranges.contains(where: { $0.contains(r.lowerBound) }) { ranges.append(r) }
    }
    guard !ranges.isEmpty else { return false }
    for r in ranges { splices.append((r.lowerBound, r.upperBound, [])) }
    return true
  }

  /// Adds a key that the table at `path` did not have.
  mutating func insert(into path: [PathSegment], key: String, value: TOMLNode, after previous: String? = nil) -> Bool {
    func indexed(_ p: ArraySlice<PathSegment>) -> Bool {
      p.contains { if case .index = $0 { return true } else { return false } }
    }
    let full = path + [.key(key)]
    // A table the writer gives a section of its own (and a top-level array of tables): after the
    // last section of the table that holds it.
    let ownSection: Bool =
      switch value {
      case .table(let t): full.count <= 2 || !TOMLWriter.isLeaf(t)
      case .array(let a): path.isEmpty && !a.isEmpty && a.allSatisfy { $0.tableValue != nil }
      default: false
      }
    if ownSection {
      guard !indexed(path[...]) else { return false }
      var root = TOMLDict([(key, value)])
      for case .key(let k) in path.reversed() { root = TOMLDict([(k, .table(root))]) }
      let text = TOMLWriter.write(root)
      let sibling = previous.map { path + [.key($0)] }
      let last =
        sibling.flatMap { s in lastHeader(under: s) } ?? lastHeader(under: path)
      if let last, last + 1 < layout.headers.count, !path.isEmpty || sibling != nil {
        let at = sectionEnd(ofHeader: last)
        splices.append((at, at, Array((text + "\n").utf8).withLineEnds(nl)))
      } else {
        appendAtEnd(text)
      }
      return true
    }
    // A line: in the section of the nearest table that has one, with the key dotted from there.
    var owner = path
    while !owner.isEmpty && header(at: owner) == nil { owner.removeLast() }
    guard let section = range(ofSection: owner), !indexed(full[owner.count...]) else { return false }
    let relative = full[owner.count...].map { segment -> String in
      if case .key(let k) = segment { return TOMLWriter.formatKey(k) }
      return ""
    }
    let line = Array((relative.joined(separator: ".") + " = " + TOMLWriter.format(value, inline: true)).utf8)
    // After the last line of the table itself, else of the section, else right after the header.
    let inSection = layout.entries.filter { section.contains($0.keyStart) }
    // (Its own lines and those of the dotted tables under it.)
    let after = inSection.last { Self.hasPrefix(self.path(ofTable: $0.table), path) } ?? inSection.last
    var at: Int
    if let after {
      at = lineEnd(after.valueEnd)
    } else if owner.isEmpty {
      at = rootEnd
      if !layout.headers.isEmpty {
        // Before the first header: the new line, then a blank line.
        splices.append((at, at, line + nl + nl))
        return true
      }
    } else {
      at = lineEnd(layout.headers[header(at: owner)!].start)
    }
    if at == b.count && b.last != 0x0A && !b.isEmpty {
      // The last line had no line end: it gets one, and the new line ends the file as it did.
      splices.append((at, at, nl + line))
    } else {
      splices.append((at, at, line + nl))
    }
    return true
  }

  mutating func appendAtEnd(_ text: String) {
    var out: [UInt8] = []
    if !b.isEmpty {
      if b.last != 0x0A { out += nl }
      out += nl  // a blank line before the new section
    }
    out += Array(text.utf8).withLineEnds(nl)
    splices.append((b.count, b.count, out))
  }

  /// A new value in the style of the one it replaces, where the value allows: a literal string
  /// stays literal, an array written over several lines stays so.
  func format(_ value: TOMLNode, was: ArraySlice<UInt8>) -> [UInt8] {
    if case .string(let s) = value, was.first == UInt8(ascii: "'"), !was.starts(with: [0x27, 0x27, 0x27]),
      !s.contains("'"), TOMLWriter.format(value, inline: true) == "\"" + s + "\""
    {
      return Array(("'" + s + "'").utf8)
    }
    // A string with a line feed is written as a multi-line string (the value has a line of its
    // own); an array over several lines stays so.
    let multiline: Bool =
      switch value {
      case .array: was.contains(0x0A)
      case .string(let s): s.contains("\n")
      default: false
      }
    return Array(TOMLWriter.format(value, inline: !multiline).utf8).withLineEnds(nl)
  }

  // MARK: The result

  /// The bytes with every splice made; nil when two of them overlap in a way that cannot be
  /// told apart (a replacement inside a removed range).
  func apply() -> [UInt8]? {
    // Removals that overlap are merged; insertions keep the order they were made in.
    let ordered = splices.enumerated().sorted {
      ($0.element.start, $0.element.end == $0.element.start ? 1 : 0, $0.offset)
        < ($1.element.start, $1.element.end == $1.element.start ? 1 : 0, $1.offset)
    }.map(\.element)
    var out: [UInt8] = []
    out.reserveCapacity(b.count + 256)
    var at = 0
    for s in ordered {
      if s.start < at {
        // Inside a range already replaced: only another removal may overlap it.
        guard s.text.isEmpty else { return nil }
        at = max(at, s.end)
        continue
      }
      out += b[at..<s.start]
      out += s.text
      at = s.end
    }
    out += b[at...]
    return out
  }
}

extension Array where Element == UInt8 {
  /// LF line ends made the file's own (CR LF where it uses them).
  fileprivate func withLineEnds(_ nl: [UInt8]) -> [UInt8] {
    guard nl.count == 2 else { return self }
    var out: [UInt8] = []
    out.reserveCapacity(count + count / 16)
    for c in self {
      if c == 0x0A { out.append(0x0D) }
      out.append(c)
    }
    return out
  }
}
