import Testing

@testable import PersonaKit

/// YAML through libyaml: the core schema's types, quoting that reads back as written.
@Suite struct YAMLTests {
  @Test func readsTheShapesAgentFilesUse() throws {
    let text = """
      name: security-reviewer
      description: "Reviews: auth, input validation"
      tools: Read, Grep, Glob
      model: inherit
      temperature: 0.2
      max_turns: 10
      hidden: true
      empty:
      quoted: '0.2'
      list:
        - read_file
        - grep_search
      flow: [a, b]
      permission:
        edit: ask
        bash: { "*": ask, "git status": allow }
      base: &b { x: 1 }
      copy: *b
      """
    let root = try #require(try YAML.parse(text)?.tableValue)
    #expect(root["name"] == .string("security-reviewer"))
    #expect(root["description"] == .string("Reviews: auth, input validation"))
    #expect(root["tools"] == .string("Read, Grep, Glob"))
    #expect(root["temperature"] == .float(0.2))
    #expect(root["max_turns"] == .integer(10))
    #expect(root["hidden"] == .bool(true))
    #expect(root["empty"] == nil)
    #expect(root["quoted"] == .string("0.2"))
    #expect(root["list"] == .array([.string("read_file"), .string("grep_search")]))
    #expect(root["flow"] == .array([.string("a"), .string("b")]))
    #expect(root["permission"]?.tableValue?["bash"]?.tableValue?["git status"] == .string("allow"))
    #expect(root["copy"] == root["base"])
    #expect(
      root.keys == [
        "name", "description", "tools", "model", "temperature", "max_turns", "hidden", "quoted", "list", "flow",
        "permission", "base", "copy",
      ])
  }

  @Test func errorsHaveTheirPlace() {
    #expect(throws: YAML.SyntaxError.self) { try YAML.parse("a: [1, 2\nb: 3") }
    do {
      _ = try YAML.parse("a: b\n  c: d\n")
      Issue.record("expected an error")
    } catch {
      #expect(error.line == 2, "\(error)")
    }
  }

  @Test func writesWhatReadsBackTheSame() throws {
    let table = TOMLDict([
      ("name", .string("security-reviewer")),
      ("description", .string("Reviews: auth, input — and \"quotes\"")),
      ("looks_like_number", .string("0.2")),
      ("looks_like_bool", .string("true")),
      ("yes_word", .string("yes")),
      ("empty", .string("")),
      ("temperature", .float(0.2)),
      ("steps", .integer(12)),
      ("tools", .array([.string("read"), .string("edit")])),
      ("permission", .table(TOMLDict([("edit", .string("ask")), ("bash", .string("allow"))]))),
      ("prompt", .string("line one\nline two\n")),
      ("wide", .string("レビュー 🔒")),
      ("hash", .string("# not a comment")),
      ("colon", .string("key: value")),
    ])
    let text = YAML.emit(table, flow: ["tools"])
    #expect(text.contains("name: security-reviewer\n"), "\(text)")
    #expect(text.contains("tools: [read, edit]\n"), "\(text)")
    #expect(text.contains("looks_like_number: \"0.2\"\n"), "\(text)")
    // Wide characters are written as they are; libyaml escapes characters beyond the BMP (emoji),
    // which read back the same.
    #expect(text.contains("wide: \"レビュー \\U0001F512\"\n"), "\(text)")
    #expect(!text.hasPrefix("---"))
    let back = try #require(try YAML.parse(text)?.tableValue)
    #expect(back == table, "\(text)")
  }

  @Test func coreSchemaScalars() {
    #expect(YAML.resolve("0x1F") == .integer(31))
    #expect(YAML.resolve("0o17") == .integer(15))
    #expect(YAML.resolve("-12") == .integer(-12))
    #expect(YAML.resolve("1e3") == .float(1000))
    #expect(YAML.resolve(".5") == .float(0.5))
    #expect(YAML.resolve("1.2.3") == .string("1.2.3"))
    #expect(YAML.resolve("claude-sonnet-4-5") == .string("claude-sonnet-4-5"))
    #expect(YAML.resolve("~") == nil)
    #expect(YAML.resolve("yes") == .string("yes"))
  }
}
