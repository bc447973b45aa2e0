#!/usr/bin/env bash
# Build-level check of the analyzers (docs/analyzers.md): a throwaway consumer project under a temp folder references the
# runtime, the generator and the analyzers exactly as a user's project does (OutputItemType="Analyzer"), and `dotnet build`
# must fail with the ReactiveStore diagnostic that says what to do. Three builds of the one project, each with other code:
#   1. analyzer diagnostics: RST0004 (a non-partial [StateNode] class), RST0002 and RST0010;
#   2. partial properties in a class that is not partial: the compiler's CS0751/CS9248 stop it before analyzers run, and
#      RST0004 (reported by the generator) must still be shown beside them;
#   3. a [Derived] property without a compute method: RST0006, and no CS9248 hiding it.
# About 40 s (the first build compiles the referenced projects). Run by .ci/run after the tests; by hand:
#   tests/AnalyzerBuildCheck/run.sh
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

failed=0

# build_case NAME SOURCE EXPECTED... — builds the consumer with SOURCE as its only code file; every EXPECTED text ("error
# RST0004", or "!error CS9248" for a text that must not appear) is checked in the output, and the build must fail.
build_case() {
  local name="$1" source="$2"
  shift 2
  printf '%s\n' "$source" > "$work/Model.cs"
  local log="$work/build-$name.log"
  # Outside the repository: the repository's Directory.Build.props and central package pins do not apply.
  dotnet build "$work/Consumer.csproj" -nologo > "$log" 2>&1
  local status=$? case_failed=0
  for expected in "$@"; do
    if [[ "$expected" == !* ]]; then
      if grep -q "${expected:1}" "$log"; then
        echo "unexpected ($name): dotnet build reports ${expected:1}"
        case_failed=1
      else
        echo "ok ($name): no ${expected:1}"
      fi
    elif grep -q "$expected" "$log"; then
      echo "ok ($name): dotnet build reports $expected"
    else
      echo "missing ($name): $expected"
      case_failed=1
    fi
  done
  if [ "$status" -eq 0 ]; then
    echo "unexpected ($name): the build succeeded despite the RST errors"
    case_failed=1
  fi
  if [ "$case_failed" -ne 0 ]; then
    tail -n 40 "$log"
    failed=1
  fi
}

build_case analyzers "$(cat <<'CS'
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
)" "error RST0004" "error RST0002" "warning RST0010"

build_case not-partial "$(cat <<'CS'
using ReactiveStore;

namespace Consumer;

[StateNode("shop")]
public class ShopState
{
    public partial string? Currency { get; set; }
}
CS
)" "error RST0004" "must be partial: the generator adds its members" "error CS9248"

build_case no-compute "$(cat <<'CS'
using ReactiveStore;

namespace Consumer;

[StateNode("cart")]
public partial class CartState
{
    public partial decimal Subtotal { get; set; }

    [Derived]
    public partial decimal Total { get; }
}
CS
)" "error RST0006" "add 'private decimal ComputeTotal()'" "!error CS9248"

if [ "$failed" -ne 0 ]; then
  echo "analyzer build check: FAILED"
  exit 1
fi
echo "analyzer build check: passed"
