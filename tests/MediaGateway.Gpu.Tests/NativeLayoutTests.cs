using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using MediaGateway.Engine.Kernels.Cuda;

namespace MediaGateway.Gpu.Tests;

/// <summary>
/// The structs in native/include/mg_types.h and their C# mirrors (Kernels/Cuda/NativeTypes.cs) must agree
/// byte for byte. The test reads the header's struct definitions, generates a C probe that prints
/// sizeof/offsetof of every struct and field, compiles it with gcc, and compares with the C# layout.
/// Reading the field list from the header means a field added there and not in C# fails here.
/// </summary>
public sealed partial class NativeLayoutTests
{
    private sealed record NativeStruct(string Name, List<string> Fields);

    [Fact]
    public void Every_native_struct_has_the_same_size_and_field_offsets_in_CSharp()
    {
        var structs = ParseHeader(File.ReadAllText(Path.Combine(NativeTools.IncludeDirectory, "mg_types.h")));
        Assert.True(structs.Count >= 7, $"expected the boundary structs in mg_types.h, found {structs.Count}");
        var probe = RunProbe(structs);

        var checkedFields = 0;
        foreach (var s in structs)
        {
            var type = CSharpType(s.Name);
            Assert.Equal(probe[$"sizeof {s.Name}"], Marshal.SizeOf(type));
            var csFields = type.GetFields(BindingFlags.Public | BindingFlags.Instance);
            Assert.True(csFields.Length == s.Fields.Count,
                $"{type.Name} has {csFields.Length} fields, {s.Name} has {s.Fields.Count}: [{string.Join(", ", csFields.Select(f => f.Name))}] vs [{string.Join(", ", s.Fields)}]");
            for (var i = 0; i < s.Fields.Count; i++)
            {
                var csName = PascalCase(s.Fields[i]);
                var field = type.GetField(csName) ?? throw new Xunit.Sdk.XunitException($"{type.Name} lacks {csName} (C field {s.Name}.{s.Fields[i]})");
                Assert.True(csFields[i].Name == csName, $"{type.Name} field {i} is {csFields[i].Name}; the header has {s.Fields[i]} there");
                Assert.True(probe[$"offsetof {s.Name}.{s.Fields[i]}"] == (int)Marshal.OffsetOf(type, csName),
                    $"{s.Name}.{s.Fields[i]} is at {probe[$"offsetof {s.Name}.{s.Fields[i]}"]} in C, {Marshal.OffsetOf(type, csName)} in C#");
                Assert.True(probe[$"sizeof {s.Name}.{s.Fields[i]}"] == Marshal.SizeOf(field.FieldType),
                    $"{s.Name}.{s.Fields[i]} is {probe[$"sizeof {s.Name}.{s.Fields[i]}"]} bytes in C, {Marshal.SizeOf(field.FieldType)} in C#");
                checkedFields++;
            }
        }
        Assert.True(checkedFields >= 30, $"only {checkedFields} fields checked");
    }

    [Fact]
    public void Launch_geometry_constants_and_shared_memory_sizes_match_the_header()
    {
        var probe = RunProbe(ParseHeader(File.ReadAllText(Path.Combine(NativeTools.IncludeDirectory, "mg_types.h"))));
        Assert.Equal(KernelGeometry.MaxK, probe["MG_MAX_K"]);
        Assert.Equal(KernelGeometry.StreamThreads, probe["MG_STREAM_THREADS"]);
        Assert.Equal(KernelGeometry.StreamStep, probe["MG_STREAM_STEP"]);
        Assert.Equal(KernelGeometry.MmaThreads, probe["MG_MMA_THREADS"]);
        Assert.Equal(KernelGeometry.MmaQueries, probe["MG_MMA_QUERIES"]);
        Assert.Equal(KernelGeometry.MmaStep, probe["MG_MMA_STEP"]);
        Assert.Equal(KernelGeometry.MmaMaxK, probe["MG_MMA_MAX_K"]);
        Assert.Equal(KernelGeometry.MmaMaxDimension, probe["MG_MMA_MAX_DIM"]);
        Assert.Equal(KernelGeometry.MmaLargeQueries, probe["MG_MMA_LARGE_QUERIES"]);
        Assert.Equal(KernelGeometry.MmaWideQueries, probe["MG_MMA_WIDE_QUERIES"]);
        Assert.Equal(KernelGeometry.MmaListBuffer, probe["MG_MMA_LIST_BUFFER"]);
        Assert.Equal(KernelGeometry.MergeThreads, probe["MG_MERGE_THREADS"]);
        Assert.Equal(KernelGeometry.MergeStep, probe["MG_MERGE_STEP"]);
        foreach (var dim in new[] { 16, 48, 384, 400, 512 })
            Assert.Equal(KernelGeometry.MmaQueryStride(dim), probe[$"mma_query_stride {dim}"]);
        foreach (var kPow2 in new[] { 1, 16, 128, 1024 })
        {
            Assert.Equal(KernelGeometry.MmaSharedBytes(KernelGeometry.MmaQueries, kPow2, 384), probe[$"mma_shared {kPow2}"]);
            Assert.Equal(KernelGeometry.MmaSharedBytes(KernelGeometry.MmaLargeQueries, kPow2, 512), probe[$"mma_large_shared {kPow2}"]);
            Assert.Equal(KernelGeometry.MmaSharedBytes(KernelGeometry.MmaWideQueries, kPow2, 400), probe[$"mma_wide_shared {kPow2}"]);
            Assert.Equal(KernelGeometry.MergeSharedBytes(kPow2), probe[$"merge_shared {kPow2}"]);
            Assert.Equal(KernelGeometry.StreamSharedBytes(kPow2, 384), probe[$"stream_shared {kPow2}"]);
        }
    }

    private static Type CSharpType(string cName)
    {
        var name = "Native" + PascalCase(cName.StartsWith("mg_", StringComparison.Ordinal) ? cName[3..] : cName);
        return typeof(NativeSearchParams).Assembly.GetType($"{typeof(NativeSearchParams).Namespace}.{name}")
            ?? throw new Xunit.Sdk.XunitException($"{cName} has no C# mirror named {name} in Kernels/Cuda/NativeTypes.cs");
    }

    private static string PascalCase(string snake) =>
        string.Concat(snake.Split('_', StringSplitOptions.RemoveEmptyEntries).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));

    private static List<NativeStruct> ParseHeader(string header)
    {
        var result = new List<NativeStruct>();
        foreach (Match m in StructRegex().Matches(header))
        {
            var fields = new List<string>();
            foreach (var line in m.Groups["body"].Value.Split('\n'))
            {
                var code = line.Split("/*")[0].Trim();
                var field = FieldRegex().Match(code);
                if (field.Success) fields.Add(field.Groups["name"].Value);
            }
            result.Add(new NativeStruct(m.Groups["name"].Value, fields));
        }
        return result;
    }

    private static Dictionary<string, int> RunProbe(List<NativeStruct> structs)
    {
        var dir = NativeTools.TempDirectory("layout");
        try
        {
            var c = new StringBuilder();
            c.AppendLine("#include <stdio.h>\n#include <stddef.h>\n#include \"mg_types.h\"\n#include \"mg_geometry.h\"");
            c.AppendLine("#define FIELD(s, f) printf(\"offsetof \" #s \".\" #f \" %d\\nsizeof \" #s \".\" #f \" %d\\n\", (int)offsetof(s, f), (int)sizeof(((s*)0)->f))");
            c.AppendLine("#define VALUE(name, v) printf(\"%s %d\\n\", name, (int)(v))");
            c.AppendLine("int main(void) {");
            foreach (var s in structs)
            {
                c.AppendLine($"  VALUE(\"sizeof {s.Name}\", sizeof({s.Name}));");
                foreach (var f in s.Fields) c.AppendLine($"  FIELD({s.Name}, {f});");
            }
            foreach (var constant in new[] { "MG_MAX_K", "MG_STREAM_THREADS", "MG_STREAM_STEP", "MG_MMA_THREADS", "MG_MMA_QUERIES", "MG_MMA_STEP", "MG_MMA_MAX_K", "MG_MMA_MAX_DIM", "MG_MMA_LARGE_QUERIES", "MG_MMA_WIDE_QUERIES", "MG_MMA_LIST_BUFFER", "MG_MERGE_THREADS", "MG_MERGE_STEP" })
                c.AppendLine($"  VALUE(\"{constant}\", {constant});");
            foreach (var k in new[] { 1, 16, 128, 1024 })
            {
                c.AppendLine($"  VALUE(\"mma_shared {k}\", mg_mma_shared_bytes(MG_MMA_QUERIES, {k}, 384));");
                c.AppendLine($"  VALUE(\"mma_large_shared {k}\", mg_mma_shared_bytes(MG_MMA_LARGE_QUERIES, {k}, 512));");
                c.AppendLine($"  VALUE(\"mma_wide_shared {k}\", mg_mma_shared_bytes(MG_MMA_WIDE_QUERIES, {k}, 400));");
                c.AppendLine($"  VALUE(\"merge_shared {k}\", mg_merge_shared_bytes({k}));");
                c.AppendLine($"  VALUE(\"stream_shared {k}\", mg_stream_shared_bytes({k}, 384));");
            }
            foreach (var dim in new[] { 16, 48, 384, 400, 512 })
                c.AppendLine($"  VALUE(\"mma_query_stride {dim}\", mg_mma_query_stride({dim}));");
            c.AppendLine("  return 0;\n}");
            var source = Path.Combine(dir, "layout_probe.c");
            var exe = Path.Combine(dir, "layout_probe");
            File.WriteAllText(source, c.ToString());
            NativeTools.RunOrFail(NativeTools.Gcc, ["-std=c11", "-Wall", "-Wextra", "-Werror", "-I", NativeTools.IncludeDirectory, source, "-o", exe]);
            var output = NativeTools.RunOrFail(exe, []);
            var values = new Dictionary<string, int>();
            foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var split = line.LastIndexOf(' ');
                values[line[..split]] = int.Parse(line[(split + 1)..], CultureInfo.InvariantCulture);
            }
            return values;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [GeneratedRegex(@"typedef\s+struct\s+(?<name>\w+)\s*\{(?<body>.*?)\}\s*\k<name>\s*;", RegexOptions.Singleline)]
    private static partial Regex StructRegex();

    [GeneratedRegex(@"^(?<type>[A-Za-z_][\w ]*?)\s+(?<name>\w+)\s*;$")]
    private static partial Regex FieldRegex();
}
