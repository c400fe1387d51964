using System.Diagnostics;

namespace MediaGateway.Gpu.Tests;

/// <summary>Finds the repository and the native compilers, and runs them.</summary>
internal static class NativeTools
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string NativeDirectory => Path.Combine(RepositoryRoot, "native");
    public static string IncludeDirectory => Path.Combine(NativeDirectory, "include");

    /// <summary>The newest clang on PATH, or null. CI installs clang-19 (sm_90); clang-14 (sm_80) also works.</summary>
    public static string? Clang { get; } = FindOnPath("clang-19", "clang-18", "clang-17", "clang-16", "clang-15", "clang-14", "clang");

    public static string Gcc => FindOnPath("gcc", "cc") ?? throw new InvalidOperationException("No C compiler (gcc) on PATH; CI must install build-essential.");
    public static string Gxx => FindOnPath("g++", "c++") ?? throw new InvalidOperationException("No C++ compiler (g++) on PATH; CI must install build-essential.");

    public static (int ExitCode, string Stdout, string Stderr) Run(string file, IEnumerable<string> arguments, string? stdin = null,
        IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromMinutes(3);
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish in {limit.TotalMinutes:F0} minutes.");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs a tool and fails the test with its output unless it exits 0.</summary>
    public static string RunOrFail(string file, IEnumerable<string> arguments, string? stdin = null)
    {
        var args = arguments.ToList();
        var (code, stdout, stderr) = Run(file, args, stdin);
        Assert.True(code == 0, $"{file} {string.Join(' ', args)} exited {code}:{Environment.NewLine}{stderr}{stdout}");
        return stdout;
    }

    public static string TempDirectory(string purpose)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"mg-gpu-tests-{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string? FindOnPath(params string[] names)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var name in names)
            foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MediaGateway.sln")) && Directory.Exists(Path.Combine(dir.FullName, "native")))
                return dir.FullName;
        throw new InvalidOperationException($"Repository root (MediaGateway.sln with native/) not found above {AppContext.BaseDirectory}.");
    }
}

/// <summary>A fact that is skipped, with the reason shown, only when no clang is installed.</summary>
public sealed class RequiresClangFactAttribute : FactAttribute
{
    public RequiresClangFactAttribute()
    {
        if (NativeTools.Clang is null) Skip = "No clang on PATH, so the CUDA kernels cannot be compiled to PTX here. CI installs it: apt-get install -y clang-19 (or clang-14).";
    }
}

/// <summary>The theory counterpart of <see cref="RequiresClangFactAttribute"/>.</summary>
public sealed class RequiresClangTheoryAttribute : TheoryAttribute
{
    public RequiresClangTheoryAttribute()
    {
        if (NativeTools.Clang is null) Skip = "No clang on PATH, so the CUDA kernels cannot be compiled to PTX here. CI installs it: apt-get install -y clang-19 (or clang-14).";
    }
}
