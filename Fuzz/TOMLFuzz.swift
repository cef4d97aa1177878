import Foundation

// libFuzzer entry over the TOML loaders: any bytes must parse or be refused with a place, never
// crash; what parses must survive the writer (write, parse again: the same tree), the map of
// places must be buildable, every kind of file must read into the model, and the result must
// validate and resolve without a crash.
// Built by Fuzz/run.sh with `swiftc -sanitize=fuzzer,address` together with PersonaKit's sources.
/// Reports a broken property with its details (an -O build drops precondition messages), then stops.
func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data("FUZZ FAILURE: \(message)\n".utf8))
  abort()
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
  let data = Data(bytes: start, count: count)
  let parsed: ParsedTOML
  do {
    parsed = try TOMLParser.parse(data)
  } catch {
    if error.line < 1 || error.column < 1 { fail("a syntax error without a place: \(error)") }
    return 0
  }
  // Places: the lazily built map, asked for every top-level key.
  for key in parsed.root.keys { _ = parsed.sourceMap.position(of: [.key(key), .key("x")]) }
  // The writer's output parses back to the same tree (NaN aside: it is not equal to itself). Key
  // order may differ where TOML cannot keep it: a plain value after a table at the same level is
  // written before the table's [section].
  let text = TOMLWriter.write(parsed.root)
  if !text.contains("nan") {
    do {
      let again = try TOMLParser.parse(text).root
      if !TOMLEditor.same(.table(again), .table(parsed.root)) {
        fail("round trip changed the tree:\n\(text)\n\(parsed.root)\n\(again)")
      }
    } catch {
      fail("the writer's output does not parse (\(error)):\n\(text)")
    }
  }
  // The preserving writer: a value changed, a key removed, a key added — the edit places each
  // (or declines: nil) without a crash, and what it gives reads back as exactly the new tree.
  for change in 0..<3 {
    var changed = parsed.root
    switch change {
    case 0: changed = bumpFirstLeaf(changed)
    case 1: if let k = changed.keys.first { changed[k] = nil }
    default: changed["fuzz_added"] = .string("new")
    }
    if let out = TOMLEditor.edit(data, from: parsed.root, to: changed) {
      guard let again = try? TOMLParser.parse(out), TOMLEditor.same(.table(again.root), .table(changed)) else {
        fail("the preserving writer gave a file that is not the new tree:\n\(String(decoding: out, as: UTF8.self))")
      }
    }
  }
  // Every kind of file, read into the model (wrong types become diagnostics, not crashes).
  var file = LoadedFile(url: URL(fileURLWithPath: "/fuzz/input.toml"))
  file.data = data
  file.parsed = parsed
  var scope = ScopeData()
  for kind in ConfigFileKind.allCases { _ = scope.read(kind, from: file) }
  var reader = TableReader(file.root, path: [], file: file.source)
  scope.tracks.append(Track.read(name: "fuzz", &reader))
  // The same input as every file at once: validate it and resolve every ticket at every tier
  // (unknown names, cycles and out-of-range values become diagnostics, never a crash).
  var ws = Workspace(paths: ConfigPaths(global: URL(fileURLWithPath: "/fuzz")))
  ws.scopes[.global] = scope
  _ = Validator.validate(ws)
  let resolver = Resolver(ws.config)
  for track in ws.config.tracks.values {
    for ticket in track.tickets.prefix(50) {
      for tier in 1...4 { _ = resolver.resolve(tier: tier, track: track, ticket: ticket, retry: ticket.retryCount) }
    }
  }
  _ = Validator.cycles(in: scope.tracks.flatMap(\.tickets))
  return 0
}

/// The tree with its first scalar (depth first) changed.
func bumpFirstLeaf(_ t: TOMLDict) -> TOMLDict {
  var t = t
  for (k, v) in t.entries {
    switch v {
    case .table(let inner):
      t[k] = .table(bumpFirstLeaf(inner))
      return t
    case .array(var a) where !a.isEmpty:
      if case .table(let inner) = a[0] { a[0] = .table(bumpFirstLeaf(inner)) } else { a[0] = .string("fuzz") }
      t[k] = .array(a)
      return t
    case .integer(let i):
      t[k] = .integer(i &+ 1)
      return t
    case .string(let s):
      t[k] = .string(s + "!")
      return t
    default:
      t[k] = .bool(true)
      return t
    }
  }
  return t
}
