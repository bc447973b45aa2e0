#!/usr/bin/env bash
# Build-level check of the analyzers (docs/analyzers.md): a throwaway consumer project under a temp folder references the
# runtime, the generator and the analyzers exactly as a user's project does (OutputItemType="Analyzer"), and `dotnet build`
# must fail with RST0004 (a non-partial [StateNode] class), RST0002 and RST0010 in its output. One build, about 20 s.
# Run by .ci/run after the tests; run it by hand with: tests/AnalyzerBuildCheck/run.sh
set -uo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cat > "$work/Consumer.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
  </PropertyGroup>
  <ItemGroup>
    <ProjectReference Include="$repo/src/ReactiveStore/ReactiveStore.csproj" />
    <ProjectReference Include="$repo/generators/ReactiveStore.Generators/ReactiveStore.Generators.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
    <ProjectReference Include="$repo/analyzers/ReactiveStore.Analyzers/ReactiveStore.Analyzers.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
  </ItemGroup>
</Project>
XML

cat > "$work/Model.cs" <<'CS'
using ReactiveStore;

namespace Consumer;

[StateNode("shop")]
public class ShopState
{
    public string? Currency { get; set; }
}

public static class Use
{
    public static void Run(StateStore store)
    {
        store.Set("shop..currency", "EUR");
        store.Subscribe("shop.*", e => { });
    }
}
CS

# Outside the repository: the repository's Directory.Build.props and central package pins do not apply.
log="$work/build.log"
dotnet build "$work/Consumer.csproj" -nologo > "$log" 2>&1
status=$?
failed=0
for expected in "error RST0004" "error RST0002" "warning RST0010"; do
  if grep -q "$expected" "$log"; then
    echo "ok: dotnet build reports $expected"
  else
    echo "missing: $expected"
    failed=1
  fi
done
if [ "$status" -eq 0 ]; then
  echo "unexpected: the build succeeded despite the RST errors"
  failed=1
fi
if [ "$failed" -ne 0 ]; then
  tail -n 40 "$log"
  echo "analyzer build check: FAILED"
  exit 1
fi
echo "analyzer build check: passed"
