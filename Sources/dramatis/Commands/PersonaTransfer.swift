import FoundationEssentials
import PersonaKit

/// Export and import of personas as TOML (`[personas.NAME]` tables) or JSON (`{"personas": {NAME: {…}}}`).
enum PersonaTransfer {
  static func export(_ personas: [Persona], json: Bool) -> String {
    var table = TOMLDict()
    for p in personas { table[p.name] = .table(p.table) }
    if json {
      return JSONWriter.write(.object([("personas", JSONValue(.table(table)))])) + "\n"
    }
    return TOMLWriter.write(TOMLDict([("personas", .table(table))]))
  }

  /// Reads personas from TOML or JSON text (JSON when it starts with `{`).
  static func parse(_ data: Data, file: String) throws -> [Persona] {
    let root: TOMLDict
    var source = SourceFile(path: file)
    let text = String(decoding: data, as: UTF8.self)
    let first = text.drop(while: { $0.isWhitespace }).first
    if first == "[" && (try? JSONParser.parse(text)) != nil {
      throw CLIError(
        "\(file): the file is a JSON array; expected a JSON object {\"personas\": {NAME: {…}}} (as export --json writes)"
      )
    }
    if first == "{" {
      do {
        let value = try JSONParser.parse(text)
        guard let node = value.tomlNode?.tableValue else { throw CLIError("\(file): expected a JSON object") }
        root = node
      } catch let e as JSONSyntaxError {
        throw CLIError("\(file):\(e.line):\(e.column): \(e.message)")
      }
    } else {
      do {
        let parsed = try TOMLParser.parse(data)
        root = parsed.root
        source.sourceMap = parsed.sourceMap
      } catch {
        throw CLIError("\(file):\(error.line):\(error.column): \(error.message)")
      }
    }
    guard case .table(let personas)? = root["personas"] else {
      throw CLIError("\(file): no personas found (expected [personas.NAME] tables, or {\"personas\": {…}})")
    }
    var out: [Persona] = []
    var problems: [Diagnostic] = []
    for (name, node) in personas.entries {
      guard case .table(let t) = node else {
        problems.append(source.diagnostic([.key("personas"), .key(name)], "expected a table, found \(node.typeName)"))
        continue
      }
      var reader = TableReader(t, path: [.key("personas"), .key(name)], file: source)
      out.append(Persona.read(name: name, &reader))
      problems += reader.diagnostics
    }
    if Validator.hasErrors(problems) {
      throw CLIError(problems.map(\.description).joined(separator: "\n"))
    }
    // Warnings (an unknown key, kept) are said and the import goes on.
    for d in problems { Output.note(d.description) }
    return out
  }
}
