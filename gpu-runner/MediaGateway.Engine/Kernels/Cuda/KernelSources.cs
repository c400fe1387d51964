using System.Security.Cryptography;
using System.Text;

namespace MediaGateway.Engine.Kernels.Cuda;

/// <summary>A CUDA source file embedded in the Engine assembly (see MediaGateway.Engine.csproj).</summary>
public sealed record KernelSource(string Name, string Text);

/// <summary>
/// The native/*.cu programs and native/include/* headers, embedded as resources so a deployed runner
/// compiles exactly the sources it was built with, for whatever GPU it lands on.
/// </summary>
public static class KernelSources
{
    private const string ProgramPrefix = "native/";
    private const string HeaderPrefix = "native/include/";

    private static readonly Lazy<(KernelSource[] Programs, KernelSource[] Headers)> All = new(Read);

    public static IReadOnlyList<KernelSource> Programs => All.Value.Programs;
    public static IReadOnlyList<KernelSource> Headers => All.Value.Headers;

    /// <summary>The program that defines <paramref name="kernel"/>'s source file, by file name (e.g. "topk_mma.cu").</summary>
    public static KernelSource Program(string fileName) =>
        Programs.FirstOrDefault(p => p.Name == fileName)
        ?? throw new InvalidOperationException($"Kernel source {fileName} is not embedded in {typeof(KernelSources).Assembly.GetName().Name}.");

    /// <summary>SHA-256 of a program with every header: any edit to either invalidates compiled images.</summary>
    public static string Hash(KernelSource program, IEnumerable<string> extra)
    {
        var text = new StringBuilder();
        text.Append(program.Name).Append('\0').Append(program.Text).Append('\0');
        foreach (var header in Headers.OrderBy(h => h.Name, StringComparer.Ordinal))
            text.Append(header.Name).Append('\0').Append(header.Text).Append('\0');
        foreach (var item in extra) text.Append(item).Append('\0');
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))).ToLowerInvariant();
    }

    private static (KernelSource[], KernelSource[]) Read()
    {
        var assembly = typeof(KernelSources).Assembly;
        var programs = new List<KernelSource>();
        var headers = new List<KernelSource>();
        foreach (var resource in assembly.GetManifestResourceNames().Order(StringComparer.Ordinal))
        {
            if (!resource.StartsWith(ProgramPrefix, StringComparison.Ordinal)) continue;
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var text = reader.ReadToEnd();
            if (resource.StartsWith(HeaderPrefix, StringComparison.Ordinal)) headers.Add(new KernelSource(resource[HeaderPrefix.Length..], text));
            else programs.Add(new KernelSource(resource[ProgramPrefix.Length..], text));
        }
        return (programs.ToArray(), headers.ToArray());
    }
}
