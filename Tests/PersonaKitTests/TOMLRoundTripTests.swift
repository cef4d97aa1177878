import Foundation
import Testing

@testable import PersonaKit

@Suite struct TOMLRoundTripTests {
  @Test func writerOutputParsesBackToTheSameTree() throws {
    let text = """
      title = "x"
      [personas."Security Reviewer"]
      description = "line one\\nline two"
      system_prompt = \"\"\"
      Multi "quoted" \\\\ line
      second line\"\"\"
      preferred_models = [{ provider = "anthropic", model = "m", temperature = 0.2, extra = { a = [1, 2] } }]
      unknown_number = 3
      when = 1979-05-27T07:32:00Z
      [personas."Security Reviewer".tier_assignments]
      tier4 = { model = "h", max_output_tokens = 2048 }
      [personas."日本語 🤖".nested.deeper]
      k = true
      [[tickets]]
      id = "T-1"
      [[tickets]]
      id = "T-2"
      meta = { tags = ["a", "b"] }
      """
    let parsed = try TOMLParser.parse(text)
    let written = TOMLWriter.write(parsed.root)
    let again = try TOMLParser.parse(written)
    #expect(again.root == parsed.root)
    #expect(written.contains("[personas.\"Security Reviewer\".tier_assignments]"))
    #expect(written.contains("tier4 = { model = \"h\", max_output_tokens = 2048 }"))
    #expect(written.contains("[[tickets]]"))
  }

  @Test func keysKeepTheOrderOfTheFile() throws {
    let parsed = try TOMLParser.parse("zeta = 1\nalpha = 2\n[b]\ny = 1\nx = 2\n[a]\nq = 1\n")
    #expect(parsed.root.keys == ["zeta", "alpha", "b", "a"])
    #expect(parsed.root["b"]?.tableValue?.keys == ["y", "x"])
  }

  @Test func unknownKeysSurviveAnEditAndSave() throws {
    let f = try Fixture(defaults: false)
    try f.write(
      "personas.toml",
      """
      # my personas
      owner = "team-a"

      [personas.Alpha]
      description = "first"
      color = "red"
      preferred_models = [{ provider = "anthropic", model = "claude-sonnet-4-5", region = "eu" }]
      [personas.Alpha.meta]
      since = 2024
      [personas.Alpha.tier_assignments]
      tier3 = { model = "x", note = "keep me" }

      [personas.Beta]
      description = "second"
      """)
    var m = f.manager()
    var alpha = m.config.personas["Alpha"]!
    alpha.description = "changed"
    alpha.preferredModels[0].temperature = 0.5
    try m.update(alpha, .persona)
    let saved = try TOMLParser.parse(try f.read("personas.toml")).root
    #expect(saved["owner"] == .string("team-a"))
    let a = saved["personas"]!.tableValue!["Alpha"]!.tableValue!
    #expect(a["description"] == .string("changed"))
    #expect(a["color"] == .string("red"))
    #expect(a["meta"]?.tableValue?["since"] == .integer(2024))
    let pm = a["preferred_models"]!.arrayValue![0].tableValue!
    #expect(pm["region"] == .string("eu"))
    #expect(pm["temperature"] == .float(0.5))
    #expect(a["tier_assignments"]?.tableValue?["tier3"]?.tableValue?["note"] == .string("keep me"))
    #expect(saved["personas"]!.tableValue!.keys == ["Alpha", "Beta"])
    #expect(try f.read("personas.toml").hasPrefix("# my personas\n"))
  }

  /// A file with CRLF line ends (edited on Windows) and comments at its top: a save keeps the
  /// comments once, writes every entry once, and keeps the CR LF line ends. (The comments were found by splitting the text at
  /// the character "\n", which a CRLF file does not hold — CR LF is one character —, so the whole
  /// old file came back as its "comment" and went before the new content.)
  @Test func aCRLFFileWithCommentsIsSavedOnce() throws {
    let f = try Fixture(defaults: false)
    let crlf = "# my personas\r\n#   second line  \r\n\r\n[personas.Alpha]\r\ndescription = \"first\"\r\n"
    try f.write("personas.toml", crlf)
    var m = f.manager()
    try m.create(Persona(name: "Beta", description: "second"), .persona, scope: .global)
    let text = try f.read("personas.toml")
    #expect(text.hasPrefix("# my personas\r\n#   second line  \r\n\r\n[personas.Alpha]\r\n"), "\(text)")
    #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "\(text)")
    #expect(text.components(separatedBy: "[personas.Alpha]").count == 2, "\(text)")
    let saved = try TOMLParser.parse(text).root
    #expect(saved["personas"]?.tableValue?.keys == ["Alpha", "Beta"])
    // A file without comments, and one that is only comments, gain none.
    #expect(Workspace.leadingComments(Data("[a]\r\n# not leading\r\n".utf8)) == "")
    #expect(Workspace.leadingComments(Data("# only\n".utf8)) == "# only\n\n")
    #expect(Workspace.leadingComments(Data("  # indented\n\tx = 1\n# later\n".utf8)) == "# indented\n\n")
  }

  /// The writer's strings, as the scalar-by-scalar writer made them before it wrote bytes (and
  /// before it looked for a line feed without walking characters): the same text for every kind
  /// of string, in both forms.
  @Test func stringsAreWrittenAsBefore() throws {
    func before(_ s: String, multiline: Bool) -> String {
      var out = multiline ? "\"\"\"\n" : "\""
      for u in s.unicodeScalars {
        switch u {
        case "\\": out += "\\\\"
        case "\"": out += "\\\""
        case "\n": out += multiline ? "\n" : "\\n"
        case "\t": out += multiline ? "\t" : "\\t"
        case "\r": out += "\\r"
        case "\u{8}": out += "\\b"
        case "\u{C}": out += "\\f"
        default:
          if TerminalSafe.isUnsafe(u) {
            out += "\\u" + String(format4: u.value)
          } else {
            out.unicodeScalars.append(u)
          }
        }
      }
      return out + (multiline ? "\"\"\"" : "\"")
    }
    var samples = [
      "", "plain", "with \"quotes\" and \\ backslash", "tab\there", "line\nbreak", "crlf\r\nend", "lone\rcr",
      "\n", "\r\n", "trailing\n", "审查员 レビュー", "🚀 Tester 👩‍💻", "e\u{301} combining", "bell\u{7} esc\u{1B}[31m",
      "del\u{7F}", "c1\u{85}\u{9B}", "bidi\u{202E}rev\u{2066}\u{200F}\u{61C}", "nbsp\u{A0} zwsp\u{200B}",
      "\u{8}\u{C}", "~ASCII edge ! ~", "x\"\"\"y",
    ]
    var rng = SystemRandomNumberGenerator()
    let alphabet: [Unicode.Scalar] = [
      "a", " ", "\"", "\\", "\n", "\r", "\t", "\u{1}", "\u{7F}", "\u{85}", "é", "漢", "🚀", "\u{202A}",
    ]
    for _ in 0..<300 {
      var t = ""
      for _ in 0..<Int.random(in: 0..<12, using: &rng) { t.unicodeScalars.append(alphabet.randomElement(using: &rng)!) }
      samples.append(t)
    }
    for s in samples {
      for multiline in [false, true] {
        #expect(
          TOMLWriter.formatString(s, multiline: multiline) == before(s, multiline: multiline),
          "\(Array(s.unicodeScalars))")
      }
      #expect(TOMLWriter.containsLineFeed(s) == s.contains("\n"), "\(Array(s.unicodeScalars))")
      let root = TOMLDict([("k", .string(s))])
      #expect(try TOMLParser.parse(TOMLWriter.write(root)).root == root, "\(Array(s.unicodeScalars))")
    }
  }

  @Test func stringsWithControlCharactersAreEscapedInTheFile() throws {
    var root = TOMLDict()
    root["name"] = .string("bell\u{7} esc\u{1B}[31m tab\t")
    let text = TOMLWriter.write(root)
    #expect(!text.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{7}" })
    #expect(try TOMLParser.parse(text).root == root)
  }

  @Test func shippedDefaultsRoundTripUnchangedInValue() throws {
    for name in ["personas.toml", "tool_presets.toml", "bias_profiles.toml", "models.toml", "tracks/auth.toml"] {
      let text = try String(contentsOf: Fixture.defaultsDir.appendingPathComponent(name), encoding: .utf8)
      let parsed = try TOMLParser.parse(text)
      #expect(try TOMLParser.parse(TOMLWriter.write(parsed.root)).root == parsed.root, "\(name)")
    }
  }
}
