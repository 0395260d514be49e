using System.CommandLine;
using Gym.Cli.Commands;
using MessagePack;
using Gym.Core;

namespace Gym.Cli;

/// <summary>The <c>gym</c> command line.</summary>
public static class Program
{
    /// <summary>Runs the command line; returns the exit code (0 ok, 1 failed work, 2 bad input).</summary>
    public static async Task<int> Main(string[] args)
    {
        // Redirected output (CI, files) has no terminal width: use one wide enough for the report tables.
        if (Console.IsOutputRedirected)
            Spectre.Console.AnsiConsole.Profile.Width = 160;
        RootCommand root = new("Gym: environments, agents and training for LLM agents.");
        root.Subcommands.Add(EnvsCommand.Create());
        root.Subcommands.Add(TasksCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(TrajectoriesCommand.Create());
        root.Subcommands.Add(MainJobCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(SftCommand.Create());
        root.Subcommands.Add(SandboxCommand.Create());
        root.Subcommands.Add(McpCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        try
        {
            // Errors reach the handlers below, which print one clear line instead of a stack trace.
            return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }).ConfigureAwait(false);
        }
        catch (GymException e)
        {
            // Gym's own errors carry their kind: input to correct or a service to start (2), a failure (1).
            Console.Error.WriteLine($"error: {e.Message}");
            return e.Kind is GymErrorKind.Failed ? 1 : 2;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or KeyNotFoundException
            or ArgumentException or InvalidDataException or MessagePackSerializationException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
        catch (InvalidOperationException e)
        {
            // Requests that cannot be carried out (nothing to fine-tune on, no checkpoint to resume from).
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("cancelled");
            return 130;
        }
        finally
        {
            await GymHome.DisposeAsync().ConfigureAwait(false);
        }
    }
}
