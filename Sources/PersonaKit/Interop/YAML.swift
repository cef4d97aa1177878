import CYAML

/// YAML read and written with libyaml (the C library behind PyYAML and Yams), for the agent
/// tools' files: the frontmatter of Claude Code, opencode, Gemini CLI and Copilot agents.
///
/// Values come back as `TOMLNode`s, so that what an agent file holds can be kept in a persona's
/// table as it is. A plain scalar takes the type the YAML 1.2 core schema gives it (the schema of
/// js-yaml 4 and of the `yaml` package, which those tools read with): `true`, `12`, `0.2`, `.inf`;
/// a quoted one, or one tagged `!!str`, is a string. A null (`~`, `null`, nothing) is no value:
/// the key is left out, as the tools read it. Anchors and aliases are resolved.
public enum YAML {
  public struct SyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// 1-based.
    public var line: Int
    public var column: Int
    public var description: String { "line \(line), column \(column): \(message)" }
  }

  /// The document's root (nil: an empty document or a null).
  public static func parse(_ text: String) throws(SyntaxError) -> TOMLNode? {
    var parser = yaml_parser_t()
    guard yaml_parser_initialize(&parser) == 1 else {
      throw SyntaxError(message: "the YAML parser could not start (out of memory)", line: 1, column: 1)
    }
    defer { yaml_parser_delete(&parser) }
    let bytes = Array(text.utf8)
    return try bytes.withUnsafeBufferPointer { buffer throws(SyntaxError) -> TOMLNode? in
      yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
      var reader = Reader()
      return try reader.document(&parser)
    }
  }

  /// The events of one document, built into nodes.
  struct Reader {
    var anchors: [String: TOMLNode?] = [:]

    mutating func next(_ parser: inout yaml_parser_t) throws(SyntaxError) -> yaml_event_t {
      var event = yaml_event_t()
      guard yaml_parser_parse(&parser, &event) == 1 else {
        let message = parser.problem.map { String(cString: $0) } ?? "not valid YAML"
        let context = parser.context.map { " (\(String(cString: $0)))" } ?? ""
        throw SyntaxError(
          message: message + context, line: Int(parser.problem_mark.line) + 1,
          column: Int(parser.problem_mark.column) + 1)
      }
      return event
    }

    mutating func document(_ parser: inout yaml_parser_t) throws(SyntaxError) -> TOMLNode? {
      var root: TOMLNode?
      var started = false
      while true {
        var event = try next(&parser)
        defer { yaml_event_delete(&event) }
        switch event.type {
        case YAML_STREAM_START_EVENT, YAML_DOCUMENT_END_EVENT: continue
        case YAML_DOCUMENT_START_EVENT:
          // A second document (`---` again) is not part of a frontmatter: the first one counts.
          if started { return root }
          started = true
        case YAML_STREAM_END_EVENT, YAML_NO_EVENT: return root
        default: root = try node(from: &event, &parser)
        }
      }
    }

    /// The node an event starts (a scalar, an alias, or a collection read to its end).
    mutating func node(from event: inout yaml_event_t, _ parser: inout yaml_parser_t) throws(SyntaxError) -> TOMLNode? {
      switch event.type {
      case YAML_ALIAS_EVENT:
        let name = String(cString: event.data.alias.anchor)
        guard let value = anchors[name] else {
          throw SyntaxError(
            message: "alias *\(name) names no anchor before it", line: Int(event.start_mark.line) + 1,
            column: Int(event.start_mark.column) + 1)
        }
        return value
      case YAML_SCALAR_EVENT:
        let s = event.data.scalar
        let text = String(decoding: UnsafeBufferPointer(start: s.value, count: s.length), as: UTF8.self)
        let tag = s.tag.map { String(cString: $0) }
        let value: TOMLNode? =
          tag == "tag:yaml.org,2002:str" || s.style != YAML_PLAIN_SCALAR_STYLE ? .string(text) : YAML.resolve(text)
        if let a = s.anchor { anchors[String(cString: a)] = value }
        return value
      case YAML_SEQUENCE_START_EVENT:
        let anchor = event.data.sequence_start.anchor.map { String(cString: $0) }
        var items: [TOMLNode] = []
        while true {
          var e = try next(&parser)
          defer { yaml_event_delete(&e) }
          if e.type == YAML_SEQUENCE_END_EVENT { break }
          if let v = try node(from: &e, &parser) { items.append(v) }
        }
        if let anchor { anchors[anchor] = .array(items) }
        return .array(items)
      case YAML_MAPPING_START_EVENT:
        let anchor = event.data.mapping_start.anchor.map { String(cString: $0) }
        var table = TOMLDict()
        while true {
          var k = try next(&parser)
          defer { yaml_event_delete(&k) }
          if k.type == YAML_MAPPING_END_EVENT { break }
          let key = try node(from: &k, &parser)
          var v = try next(&parser)
          defer { yaml_event_delete(&v) }
          let value = try node(from: &v, &parser)
          // (Keys are names here; a key that is a number or a list is written as text.)
          guard let key, let value else { continue }
          table[YAML.keyText(key)] = value
        }
        if let anchor { anchors[anchor] = .table(table) }
        return .table(table)
      default:
        return nil
      }
    }
  }

  static func keyText(_ key: TOMLNode) -> String {
    if case .string(let s) = key { return s }
    return TOMLWriter.format(key, inline: true)
  }

  /// A plain scalar's value under the YAML 1.2 core schema (nil: null).
  static func resolve(_ text: String) -> TOMLNode? {
    switch text {
    case "", "~", "null", "Null", "NULL": return nil
    case "true", "True", "TRUE": return .bool(true)
    case "false", "False", "FALSE": return .bool(false)
    case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .float(.infinity)
    case "-.inf", "-.Inf", "-.INF": return .float(-.infinity)
    case ".nan", ".NaN", ".NAN": return .float(.nan)
    default: break
    }
    let u = Array(text.utf8)
    func digits(_ from: Int, _ ok: (UInt8) -> Bool) -> Bool { from < u.count && u[from...].allSatisfy(ok) }
    let isDigit: (UInt8) -> Bool = { $0 >= 0x30 && $0 <= 0x39 }
    if u.count > 2 && u[0] == 0x30 && u[1] == 0x78, digits(2, { isDigit($0) || (0x61...0x66).contains($0 | 0x20) }) {
      return Int(text.dropFirst(2), radix: 16).map { .integer($0) } ?? .string(text)
    }
    if u.count > 2 && u[0] == 0x30 && u[1] == 0x6F, digits(2, { $0 >= 0x30 && $0 <= 0x37 }) {
      return Int(text.dropFirst(2), radix: 8).map { .integer($0) } ?? .string(text)
    }
    let sign = u.first == 0x2B || u.first == 0x2D ? 1 : 0
    if digits(sign, isDigit) { return Int(text).map { .integer($0) } ?? .string(text) }
    // [-+]? ( . digits | digits ( . digits? )? ) ( [eE] [-+]? digits )?
    var i = sign
    var mantissa = 0
    while i < u.count && isDigit(u[i]) { i += 1; mantissa += 1 }
    if i < u.count && u[i] == 0x2E {
      i += 1
      while i < u.count && isDigit(u[i]) { i += 1; mantissa += 1 }
    }
    guard mantissa > 0 else { return .string(text) }
    if i < u.count && (u[i] == 0x65 || u[i] == 0x45) {
      i += 1
      if i < u.count && (u[i] == 0x2B || u[i] == 0x2D) { i += 1 }
      guard digits(i, isDigit) else { return .string(text) }
      i = u.count
    }
    guard i == u.count, let d = Double(text) else { return .string(text) }
    return .float(d)
  }

  // MARK: Writing

  /// A mapping as a YAML block (no `---`): keys in the table's order, strings quoted where they
  /// would read back as another type, multi-line strings as literal blocks. Arrays of strings are
  /// block sequences unless `flow` names the key.
  public static func emit(_ table: TOMLDict, flow: Set<String> = []) -> String {
    var out = Output()
    var emitter = yaml_emitter_t()
    guard yaml_emitter_initialize(&emitter) == 1 else { return "" }
    defer { yaml_emitter_delete(&emitter) }
    withUnsafeMutablePointer(to: &out) { ptr in
      yaml_emitter_set_output(
        &emitter,
        { data, buffer, size in
          guard let data, let buffer else { return 0 }
          data.assumingMemoryBound(to: Output.self).pointee.bytes.append(
            contentsOf: UnsafeBufferPointer(start: buffer, count: size))
          return 1
        }, ptr)
      yaml_emitter_set_unicode(&emitter, 1)
      yaml_emitter_set_width(&emitter, -1)
      yaml_emitter_set_indent(&emitter, 2)
      let w = Writer(emitter: &emitter)
      w.emit { yaml_stream_start_event_initialize(&$0, YAML_UTF8_ENCODING) }
      w.emit { yaml_document_start_event_initialize(&$0, nil, nil, nil, 1) }
      w.mapping(table, flow: flow)
      w.emit { yaml_document_end_event_initialize(&$0, 1) }
      w.emit { yaml_stream_end_event_initialize(&$0) }
    }
    return String(decoding: out.bytes, as: UTF8.self)
  }

  struct Output {
    var bytes: [UInt8] = []
  }

  struct Writer {
    let emitter: UnsafeMutablePointer<yaml_emitter_t>

    init(emitter: UnsafeMutablePointer<yaml_emitter_t>) { self.emitter = emitter }

    func emit(_ make: (inout yaml_event_t) -> Int32) {
      var event = yaml_event_t()
      guard make(&event) == 1 else { return }
      // (The emitter takes the event's memory, whether or not it succeeds.)
      _ = yaml_emitter_emit(emitter, &event)
    }

    func mapping(_ table: TOMLDict, flow: Set<String> = []) {
      emit { yaml_mapping_start_event_initialize(&$0, nil, nil, 1, YAML_BLOCK_MAPPING_STYLE) }
      for (key, value) in table.entries {
        scalar(key, style: YAML.needsQuotes(key) ? YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_PLAIN_SCALAR_STYLE)
        node(value, flow: flow.contains(key))
      }
      emit { yaml_mapping_end_event_initialize(&$0) }
    }

    func node(_ value: TOMLNode, flow: Bool = false) {
      switch value {
      case .string(let s):
        let style =
          s.utf8.contains(0x0A) && !s.hasSuffix(" ") && s.unicodeScalars.allSatisfy({ $0 == "\n" || $0.value >= 0x20 })
          ? YAML_LITERAL_SCALAR_STYLE
          : YAML.needsQuotes(s) ? YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_PLAIN_SCALAR_STYLE
        scalar(s, style: style)
      case .bool(let b): scalar(b ? "true" : "false", style: YAML_PLAIN_SCALAR_STYLE)
      case .integer(let i): scalar(String(i), style: YAML_PLAIN_SCALAR_STYLE)
      case .float(let d):
        let text =
          d.isNaN ? ".nan" : d.isInfinite ? (d < 0 ? "-.inf" : ".inf") : TOMLWriter.format(.float(d), inline: true)
        scalar(text, style: YAML_PLAIN_SCALAR_STYLE)
      case .array(let items):
        let style = flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE
        emit { yaml_sequence_start_event_initialize(&$0, nil, nil, 1, style) }
        for item in items { node(item) }
        emit { yaml_sequence_end_event_initialize(&$0) }
      case .table(let t): mapping(t)
      default:
        // Dates and times: their TOML text, quoted (no agent file holds one as a date).
        scalar(TOMLWriter.format(value, inline: true), style: YAML_DOUBLE_QUOTED_SCALAR_STYLE)
      }
    }

    func scalar(_ text: String, style: yaml_scalar_style_t) {
      var bytes = Array(text.utf8)
      let count = Int32(bytes.count)
      bytes.withUnsafeMutableBufferPointer { b in
        emit { yaml_scalar_event_initialize(&$0, nil, nil, b.baseAddress, count, 1, 1, style) }
      }
    }
  }

  /// A string that a plain scalar would not give back as itself: another type under the core
  /// schema (or YAML 1.1's yes/no/on/off, which older readers take for booleans), or text that
  /// starts or ends in a way plain scalars cannot.
  static func needsQuotes(_ s: String) -> Bool {
    if resolve(s) != .string(s) { return true }
    if ["yes", "no", "on", "off", "y", "n", "Yes", "No", "On", "Off", "YES", "NO", "ON", "OFF"].contains(s) {
      return true
    }
    return false
  }
}
