import PersonaKit
import Testing

/// The Persona Editor's JSON fields (fallback models, tier overrides): read back from their text,
/// keeping the keys this program does not know that the persona's file has.
@Suite struct PersonaJSONFieldsTests {
  /// The persona's models as read from its file.
  func models(_ toml: String) throws -> [ModelSettings] {
    let root = try TOMLParser.parse(toml).root
    var reader = TableReader(root, path: [], file: SourceFile(path: "personas.toml"))
    return Persona.read(name: "P", &reader).preferredModels
  }

  @Test func theFieldsTextReadsBackAsTheModelsItShows() throws {
    let file = try models(
      """
      preferred_models = [
        { provider = "a", model = "m" },
        { provider = "openai", model = "gpt-5", temperature = 0.25, region = "eu", since = 2025-01-02, n = 1.0 },
      ]
      """)
    let text = PersonaJSONFields.text(fallbacks: Array(file.dropFirst()))
    let back = try PersonaJSONFields.fallbacks(text, keeping: file)
    // Unchanged values keep their TOML form (a date, a float that JSON writes as 1).
    #expect(back == Array(file.dropFirst()))
    #expect(back[0].table["since"] == .datetime("2025-01-02"))
    #expect(back[0].table["n"] == .float(1.0))
  }

  @Test func aKnownUnknownKeyTakesTheValueTypedAndANewOneIsRefused() throws {
    let file = try models(#"preferred_models = [{ provider = "a", model = "m", region = "eu" }]"#)
    let back = try PersonaJSONFields.fallbacks(
      #"[{"provider": "b", "region": "us", "model": "n"}]"#, keeping: file)
    #expect(back.map(\.table.keys) == [["provider", "region", "model"]])
    #expect(back[0].table["region"] == .string("us"))
    #expect(back[0].provider == "b")

    #expect(throws: PersonaJSONFields.Problem.self) {
      try PersonaJSONFields.fallbacks(#"[{"provider": "b", "model": "n", "regoin": "us"}]"#, keeping: file)
    }
    do {
      _ = try PersonaJSONFields.tiers(#"{"tier2": {"model": "n", "regoin": "us"}}"#, keeping: file)
      Issue.record("a key the file does not have was accepted")
    } catch {
      #expect(error.message.hasPrefix("tier2.regoin: unknown key"))
    }
    // Without the file's models (a new persona) every unknown key is refused.
    #expect(throws: PersonaJSONFields.Problem.self) {
      try PersonaJSONFields.fallbacks(#"[{"provider": "b", "model": "n", "region": "us"}]"#)
    }
    // TOML has no null.
    do {
      _ = try PersonaJSONFields.fallbacks(#"[{"provider": "b", "model": "n", "region": null}]"#, keeping: file)
      Issue.record("null was accepted")
    } catch {
      #expect(error.message == "[0].region: TOML has no null (remove the key to remove it)")
    }
  }

  @Test func numbersOutsideAnIntegersRangeAreRefusedNotTrapped() {
    for (n, shown) in [("1e300", "1e+300"), ("-1e300", "-1e+300"), ("9.3e18", "9.3e+18"), ("1e16", "1e+16")] {
      do {
        _ = try PersonaJSONFields.tiers(#"{"tier1": {"max_output_tokens": \#(n)}}"#)
        Issue.record("\(n) accepted")
      } catch {
        #expect(error.message == "tier1.max_output_tokens: \(shown) is too large")
      }
    }
    #expect(throws: PersonaJSONFields.Problem.self) {
      try PersonaJSONFields.tiers(#"{"tier1": {"max_output_tokens": 1.5}}"#)
    }
    #expect(
      (try? PersonaJSONFields.tiers(#"{"tier1": {"max_output_tokens": 8192}}"#))?[0].settings.maxOutputTokens == 8192)
  }
}
