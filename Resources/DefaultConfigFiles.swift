/// The default configuration shipped with Dramatis (`Resources/defaults/`), built into the binary
/// (SwiftPM's `embedInCode`): a binary copied to a host on its own has them, and no resource
/// bundle has to be found at run time.
public enum DefaultConfigFiles {
  /// Each file's path inside a config dir, and its bytes. `DefaultConfigFilesTests` checks that
  /// this lists every file of `Resources/defaults` with its bytes.
  public static let files: [(path: String, bytes: [UInt8])] = [
    ("ai_settings.toml", PackageResources.ai_settings_toml),
    ("bias_profiles.toml", PackageResources.bias_profiles_toml),
    ("mma.toml", PackageResources.mma_toml),
    ("models.toml", PackageResources.models_toml),
    ("personas.toml", PackageResources.personas_toml),
    ("presets.toml", PackageResources.presets_toml),
    ("tool_presets.toml", PackageResources.tool_presets_toml),
    ("tools.toml", PackageResources.tools_toml),
    ("tracks/auth.toml", PackageResources.auth_toml),
  ]
}
