import Foundation
import PersonaKit
import SnapshotTesting
import TermUI
import Testing

@testable import DramatisApp

@Suite struct MMADashboardTests {
  @Test func snapshots() throws {
    let f = try AppFixture(name: "dramatis-snapshot-mma")
    var app = DramatisApp(workspace: f.load())
    press(&app, "F3")
    assertSnapshot(of: RunLoop.frame(&app, width: 80, height: 24, theme: .color), as: .buffer, named: "80x24")
    assertSnapshot(of: RunLoop.frame(&app, width: 120, height: 40, theme: .color), as: .buffer, named: "120x40")
    press(&app, "F5")
    assertSnapshot(of: RunLoop.frame(&app, width: 120, height: 40, theme: .color), as: .buffer, named: "editor-over")
  }

  @Test func assigningATierSavesMMAAndTheResolvedColumnsFollow() throws {
    let f = try AppFixture()
    var app = DramatisApp(workspace: f.load())
    press(&app, "F3 Tab Tab Enter Security Enter")
    #expect(try f.read("mma.toml").contains("tier3 = \"Security Reviewer\""))
    let row = lines(&app).first { $0.contains("Tier 3 Worker") }!
    #expect(row.contains("Security Reviewer") && row.contains("Read-only"))
    // The tickets inherit it; the override stays an override.
    let t1 = lines(&app).first { $0.contains("T-001") }!
    #expect(t1.contains("Security Reviewer") && !t1.contains("override"))
    #expect(lines(&app).first { $0.contains("T-004") }!.contains("▸ Security Reviewer (override)"))
    press(&app, "Enter Home Enter")  // (none)
    #expect(!(try f.read("mma.toml")).contains("tier3"))
  }

  @Test func anOverrideLooksDifferentFromAnInheritedPersona() throws {
    let f = try AppFixture()
    var app = DramatisApp(workspace: f.load())
    press(&app, "F3")
    let b = RunLoop.frame(&app, width: 120, height: 40, theme: .color)
    let y4 = b.textLines.firstIndex { $0.contains("T-004") }!
    let y1 = b.textLines.firstIndex { $0.contains("T-005") }!  // T-001 is the selected row
    #expect(b[10, y4].style == Theme.color.modified)
    #expect(b[10, y1].style == Theme.color.normal)
  }

  @Test func theStreamLogFollowsNewLinesWhileShown() async throws {
    let f = try AppFixture()
    var app = DramatisApp(workspace: f.load())
    press(&app, "F3 Tab Tab")  // tier 3's log
    #expect(lines(&app).contains { $0.contains("(no events yet: dramatis run auth)") })
    _ = app.tick()
    // A run in "another process": the engine writes the logs.
    let engine = try ConductorEngine(workspace: f.load(), track: "auth", runner: DryRunRunner())
    _ = try await engine.run()
    let redraw = app.tick()
    #expect(redraw)
    let shown = lines(&app)
    #expect(shown.contains { $0.contains("T-005 start  Worker [tier_assignment] anthropic/claude-sonnet-4-5") })
    #expect(shown.contains { $0.contains("T-005 end    done") })
    let again = app.tick()
    #expect(!again)
  }
}

@Suite struct DashboardRunTests {
  @Test func theDashboardStartsADryRunAndShowsItsProgress() async throws {
    let f = try AppFixture()
    let track = try f.read("tracks/auth.toml")
    var app = DramatisApp(workspace: f.load())
    for k in Key.script("F3 Tab Tab Tab Tab Tab Enter") { _ = app.handle(k) }
    var done = false
    for _ in 0..<200 where !done {
      try await Task.sleep(nanoseconds: 25_000_000)
      _ = app.tick()
      done = app.message.hasPrefix("dry run of auth:")
    }
    #expect(app.message == "dry run of auth: 6 done, 0 blocked, 0 waiting")
    _ = app.tick()
    let lines = RunLoop.frame(&app, width: 120, height: 40, theme: .color).textLines
    #expect(lines.contains { $0.contains("T-006 start  QA Analyst [tier_assignment]") })  // tier 4 had the focus last
    // A rehearsal: the track is as it was, its tickets still to do.
    #expect(try f.read("tracks/auth.toml") == track)
    #expect(lines.contains { $0.contains("T-001") && $0.contains("todo") })
  }
}
