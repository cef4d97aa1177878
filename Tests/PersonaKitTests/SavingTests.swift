import Foundation
import Testing

@testable import PersonaKit

@Suite struct SavingTests {
  @Test func brokenFileIsReportedWithLineAndColumnAndNeverWritten() throws {
    let f = try Fixture()
    let broken = "[personas.A]\ndescription = \"a\"\n\n[personas.B]\ndescription = \"unterminated\n"
    try f.write("personas.toml", broken)
    let before = f.data("personas.toml")
    let ws = f.load()
    let file = ws.file(.file(.personas, .global))!
    #expect(file.isWritable == false)
    #expect(file.syntaxError?.line == 5)
    #expect(file.syntaxError?.column != nil)
    let d = Validator.validate(ws).first { $0.file.hasSuffix("personas.toml") }!
    #expect(d.line == 5)
    #expect(d.description.hasPrefix(f.url("personas.toml").path + ":5:"))

    var m = PersonaManager(ws)
    #expect(throws: ConfigError.self) { try m.create(Persona(name: "C"), .persona, scope: .global) }
    do {
      try m.create(Persona(name: "C"), .persona, scope: .global)
    } catch {
      #expect("\(error)".contains("personas.toml"))
      #expect("\(error)".contains("does not parse"))
    }
    #expect(f.data("personas.toml") == before)
    // The rest of the program keeps working: other files load.
    #expect(ws.config.presets.count > 0)
  }

  /// A value nested deeper than a file may hold (an import from JSON, an unknown key's value typed
  /// in the editor) would make the whole file unreadable: refused, nothing written.
  @Test func aSaveThatWouldNotReadBackIsRefusedAndWritesNothing() throws {
    let f = try Fixture()
    let before = f.data("personas.toml")
    var m = f.manager()
    var deep = TOMLNode.integer(0)
    for _ in 0..<150 { deep = .array([deep]) }
    var p = Persona(name: "Deep")
    p.raw["x"] = deep
    do {
      try m.create(p, .persona, scope: .global)
      Issue.record("a file that does not read back was written")
    } catch {
      #expect(
        error.description.hasPrefix(
          f.url("personas.toml").path + ": not saved: what would be written does not read back (line "))
      #expect(error.description.contains("nested more than 100 deep"))
    }
    #expect(f.data("personas.toml") == before)
    #expect(m.config.personas["Deep"] == nil)
    // 90 arrays deep (92 with the tables around them) reads back: saved.
    deep = .integer(0)
    for _ in 0..<90 { deep = .array([deep]) }
    p.raw["x"] = deep
    try m.create(p, .persona, scope: .global)
    #expect(f.manager().config.personas["Deep"] != nil)
  }

  @Test func renameIsRefusedWhileAFileThatMayHoldReferencesDoesNotParse() throws {
    let f = try Fixture()
    try f.write("mma.toml", "[tiers\n")
    let personasBefore = f.data("personas.toml")
    var m = f.manager()
    do {
      try m.rename(.persona, "Worker", to: "Builder")
      Issue.record("expected a refusal")
    } catch {
      #expect(error.description.contains("mma.toml"))
    }
    #expect(f.data("personas.toml") == personasBefore)
    #expect(try f.read("mma.toml") == "[tiers\n")
    // Deleting, forced or not, cannot know the users either.
    #expect(throws: ConfigError.self) { try m.delete(.persona, "Tech Lead", force: true) }
    #expect(f.data("personas.toml") == personasBefore)
  }

  @Test func nulByteAndInvalidUTF8AreReportedWithTheirPlace() throws {
    do {
      _ = try TOMLParser.parse(Data("a = 1\nb = \"x\u{0}y\"\n".utf8))
      Issue.record("expected an error")
    } catch {
      #expect(error.line == 2)
      #expect(error.column == 7)
      #expect(error.message.contains("NUL"))
    }
    var bytes = Array("a = 1\nname = \"".utf8)
    bytes += [0xFF, 0xFE]
    bytes += Array("\"\n".utf8)
    do {
      _ = try TOMLParser.parse(Data(bytes))
      Issue.record("expected an error")
    } catch {
      #expect(error.line == 2)
      #expect(error.column == 9)
      #expect(error.message.contains("UTF-8"))
    }
  }

  @Test func saveIsRefusedWhenTheFileChangedOnDisk() throws {
    let f = try Fixture()
    var m = f.manager()
    // Another program edits the file after we loaded it.
    var text = try f.read("personas.toml")
    text += "\n[personas.Outsider]\ndescription = \"added by hand\"\n"
    try f.write("personas.toml", text)
    do {
      try m.create(Persona(name: "Mine"), .persona, scope: .global)
      Issue.record("expected a refusal")
    } catch {
      #expect(error == .changedOnDisk(path: f.url("personas.toml").path))
      #expect(error.description.contains("personas.toml"))
      #expect(error.description.contains("changed on disk"))
    }
    #expect(try f.read("personas.toml") == text)
    // After a reload, the save goes through and keeps the outsider's persona.
    m = f.manager()
    try m.create(Persona(name: "Mine"), .persona, scope: .global)
    let names = f.manager().config.personas.names
    #expect(names.contains("Outsider") && names.contains("Mine"))
  }

  @Test func saveKeepsABackupAndLeavesNoTemporaryFiles() throws {
    let f = try Fixture()
    let before = f.data("personas.toml")
    var m = f.manager()
    try m.create(Persona(name: "New one"), .persona, scope: .global)
    #expect(f.data("personas.toml.bak") == before)
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: f.global.path).filter { $0.contains(".tmp-") }
    #expect(leftovers.isEmpty)
    #expect(f.manager().config.personas.contains("New one"))
  }

  @Test func aFileThatDidNotExistIsCreatedAndAppearingFileIsAChange() throws {
    let f = try Fixture(defaults: false)
    var m = f.manager()
    try f.write("personas.toml", "[personas.Hand]\n")
    #expect(throws: ConfigError.changedOnDisk(path: f.url("personas.toml").path)) {
      try m.create(Persona(name: "X"), .persona, scope: .global)
    }
    let g = try Fixture(defaults: false)
    var n = g.manager()
    try n.create(Persona(name: "X", description: "d"), .persona, scope: .global)
    #expect(try g.read("personas.toml").contains("[personas.X]"))
    #expect(g.data("personas.toml.bak") == nil)
  }
}
