import Foundation
import Testing

@testable import PersonaKit

/// Files kept as the user set them up: a symlinked file is written through (the link stays), the
/// mode is kept, a file made read-only is not written, and a lock that cannot be taken refuses
/// the save.
@Suite struct FilesAsTheUserSetThemUpTests {
  @Test func aSymlinkedFileIsWrittenThroughAndTheLinkStays() throws {
    let f = try Fixture()
    // The dotfiles setup: the real file elsewhere, a link in the config dir.
    let dotfiles = f.root.appendingPathComponent("dotfiles")
    try FileManager.default.createDirectory(at: dotfiles, withIntermediateDirectories: true)
    let real = dotfiles.appendingPathComponent("personas.toml")
    try FileManager.default.moveItem(at: f.url("personas.toml"), to: real)
    try FileManager.default.createSymbolicLink(
      atPath: f.url("personas.toml").path, withDestinationPath: "../dotfiles/personas.toml")
    var m = f.manager()
    #expect(m.config.personas.contains("Worker"))
    try m.create(Persona(name: "Linked"), .persona, scope: .global)
    let attrs = try FileManager.default.attributesOfItem(atPath: f.url("personas.toml").path)
    #expect(attrs[.type] as? FileAttributeType == .typeSymbolicLink)
    #expect(try String(contentsOf: real, encoding: .utf8).contains("[personas.Linked]"))
    #expect(FileManager.default.fileExists(atPath: dotfiles.appendingPathComponent("personas.toml.bak").path))
    // Saved again through the link: the next load sees it.
    var again = f.manager()
    try again.rename(.persona, "Linked", to: "Still linked")
    #expect(try String(contentsOf: real, encoding: .utf8).contains("[personas.\"Still linked\"]"))
    #expect(
      (try FileManager.default.attributesOfItem(atPath: f.url("personas.toml").path))[.type] as? FileAttributeType
        == .typeSymbolicLink)
  }

  @Test func theModeIsKept() throws {
    let f = try Fixture()
    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: f.url("personas.toml").path)
    var m = f.manager()
    try m.create(Persona(name: "Private"), .persona, scope: .global)
    let attrs = try FileManager.default.attributesOfItem(atPath: f.url("personas.toml").path)
    #expect((attrs[.posixPermissions] as? Int) == 0o600)
  }

  @Test func aFileMadeReadOnlyIsNotWritten() throws {
    let f = try Fixture()
    let path = f.url("personas.toml").path
    try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
    let before = try f.read("personas.toml")
    var m = f.manager()
    do {
      try m.create(Persona(name: "Nope"), .persona, scope: .global)
      Issue.record("expected a refusal")
    } catch {
      #expect(error.description.contains("the file is read-only (mode 0444)"), "\(error)")
    }
    #expect(try f.read("personas.toml") == before)
    #expect(!FileManager.default.fileExists(atPath: path + ".bak"))
  }

  @Test func aLockThatCannotBeTakenRefusesTheSave() throws {
    let f = try Fixture()
    // A lock file that cannot be opened for writing (a folder in its place).
    try FileManager.default.createDirectory(at: f.url(".dramatis.lock"), withIntermediateDirectories: true)
    let before = try f.read("personas.toml")
    var m = f.manager()
    do {
      try m.create(Persona(name: "Unlocked"), .persona, scope: .global)
      Issue.record("expected a refusal")
    } catch {
      #expect(error.description.contains("cannot take the lock"), "\(error)")
    }
    #expect(try f.read("personas.toml") == before)
  }
}
