import Foundation
import Synchronization
import Testing

@testable import PersonaKit

/// A configuration from 256 KB on is read on several cores, each file decoded on its own and the
/// results put together in file order. It must give the same workspace as reading on one thread:
/// the same entries in the same order, the same problems in the same order.
@Suite struct ParallelLoadTests {
  func expectSame(_ a: Workspace, _ b: Workspace) {
    #expect(a.readDiagnostics == b.readDiagnostics)
    #expect(Set(a.files.keys) == Set(b.files.keys))
    for scope in Scope.allCases {
      let x = a.scopes[scope]
      let y = b.scopes[scope]
      #expect((x == nil) == (y == nil))
      guard let x, let y else { continue }
      #expect(x.personas == y.personas)
      #expect(x.presets == y.presets)
      #expect(x.toolPresets == y.toolPresets)
      #expect(x.biasProfiles == y.biasProfiles)
      #expect(x.tools == y.tools)
      #expect(x.providers == y.providers)
      #expect(x.mma == y.mma)
      #expect(x.aiSettings == y.aiSettings)
      #expect(x.tracks == y.tracks)
    }
  }

  /// The shipped defaults fill every part of a scope (a part `ScopeData.absorb` forgot would be
  /// empty here), and both ways read them alike.
  @Test func theDefaultsReadAlikeBothWaysAndFillEveryPart() throws {
    let f = try Fixture(project: true)
    try f.write("tracks/extra.toml", "[[tickets]]\nid = \"X-1\"\ndescription = \"one\"\ntier = 2\n", scope: .project)
    let one = Workspace.load(f.paths, parallel: false)
    let many = Workspace.load(f.paths, parallel: true)
    expectSame(one, many)
    let global = try #require(many.scopes[.global])
    for child in Mirror(reflecting: global).children {
      let mirror = Mirror(reflecting: child.value)
      let empty: Bool
      if let c = child.value as? any Collection {
        empty = c.isEmpty
      } else {
        empty = mirror.displayStyle == .optional && mirror.children.isEmpty
      }
      #expect(!empty, "the defaults leave \(child.label ?? "?") empty")
    }
    #expect(many.scopes[.project]?.tracks.map(\.name) == ["extra"])
    #expect(many.readDiagnostics.isEmpty)
  }

  /// Files with problems in both scopes: an unparseable file, wrong types, a second track.
  @Test func problemsComeInTheSameOrderBothWays() throws {
    let f = try Fixture(project: true)
    try f.write("personas.toml", "[personas.A]\ndescription = 1\n[personas.B]\ntool_preset_id = [1]\n")
    try f.write("presets.toml", "[presets.P]\nsystem_prompt = \"open\n")
    try f.write("tracks/b.toml", "[[tickets]]\nid = 7\n")
    try f.write("models.toml", "providers = 3\n", scope: .project)
    try f.write("tracks/a.toml", "title = [\n", scope: .project)
    let one = Workspace.load(f.paths, parallel: false)
    let many = Workspace.load(f.paths, parallel: true)
    expectSame(one, many)
    #expect(many.readDiagnostics.count >= 5)
    #expect(many.scopes[.global]?.personas.map(\.name) == ["A", "B"])
  }

  /// A configuration large enough to be read in parallel when nothing is asked.
  @Test func aLargeConfigurationIsReadInParallelAndAlike() throws {
    let f = try Fixture()
    let persona = (0..<700).map { i in
      "[personas.\"P \(i)\"]\ndescription = \"\(String(repeating: "x", count: 400))\"\n"
    }.joined()
    try f.write("personas.toml", persona)
    let size = try #require(f.data("personas.toml")?.count)
    #expect(size >= Workspace.parallelLoadBytes)
    expectSame(Workspace.load(f.paths), Workspace.load(f.paths, parallel: false))
    #expect(Workspace.load(f.paths).scopes[.global]?.personas.count == 700)
  }
}

@Suite struct PerformConcurrentlyTests {
  /// Every index once, whatever the count against the cores; it returns only when all are done.
  @Test(arguments: [0, 1, 2, 3, 7, 100])
  func everyIndexOnce(_ count: Int) {
    let calls = Mutex([Int](repeating: 0, count: count))
    performConcurrently(count) { i in
      calls.withLock { $0[i] += 1 }
    }
    #expect(calls.withLock { $0 } == [Int](repeating: 1, count: count))
  }

  /// With one thread allowed, every index runs on the calling thread.
  @Test func oneThreadIsTheCallingThread() {
    let caller = pthread_self()
    let elsewhere = Mutex(0)
    // Each index takes a millisecond, long enough for a second thread, were there one, to take some.
    performConcurrently(50, threads: 1) { _ in
      if pthread_equal(pthread_self(), caller) == 0 { elsewhere.withLock { $0 += 1 } }
      usleep(1000)
    }
    #expect(elsewhere.withLock { $0 } == 0)
  }
}
