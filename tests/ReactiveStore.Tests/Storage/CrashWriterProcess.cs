using System.Diagnostics;
using System.Reflection;

namespace ReactiveStore.Tests.Storage;

/// <summary>Runs tests/ReactiveStore.CrashWriter as a real second OS process: to hold a driver open, or to probe one.</summary>
internal sealed class CrashWriterProcess : IAsyncDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;

    private CrashWriterProcess(Process process) => _process = process;

    /// <summary>Gets the path of the writer's assembly (set by the test project at build time).</summary>
    public static string WriterPath =>
        typeof(CrashWriterProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "CrashWriterPath").Value!;

    /// <summary>Creates the start info for the writer with <paramref name="args"/>, output redirected.</summary>
    public static ProcessStartInfo StartInfo(params string[] args)
    {
        string host = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(WriterPath);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    /// <summary>Runs the writer to its end and returns its output; fails the test if it wrote to stderr or exited non-zero.</summary>
    public static async Task<string> RunAsync(params string[] args)
    {
        using var process = Process.Start(StartInfo(args))!;
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(s_timeout);
        string error = await stderr;
        Assert.True(error.Length == 0 && process.ExitCode == 0, $"the writer failed (exit {process.ExitCode}): {error}");
        return await stdout;
    }

    /// <summary>Starts the writer holding <paramref name="driver"/> open on <paramref name="path"/>; returns once it printed "ready".</summary>
    public static async Task<CrashWriterProcess> HoldAsync(string driver, string path)
    {
        var process = Process.Start(StartInfo("hold", driver, path))!;
        string? line = await process.StandardOutput.ReadLineAsync().WaitAsync(s_timeout);
        if (line != "ready")
        {
            string error = await process.StandardError.ReadToEndAsync();
            process.Kill();
            process.Dispose();
            Assert.Fail($"the holder did not open '{path}': {line} {error}");
        }

        return new CrashWriterProcess(process);
    }

    /// <summary>Closes the writer's stdin (it then disposes the driver and exits) and waits for it.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            await _process.WaitForExitAsync().WaitAsync(s_timeout);
        }
        finally
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }

            _process.Dispose();
        }
    }
}
