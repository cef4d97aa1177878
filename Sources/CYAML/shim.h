// libyaml (Debian's libyaml-dev, pkg-config yaml-0.1): the YAML parser and emitter the agent
// tools' files are read and written with (PersonaKit/Interop). Only PersonaKit imports it.
#include <yaml.h>
