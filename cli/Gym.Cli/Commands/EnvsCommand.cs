using System.CommandLine;
using Gym.Core.Registry;
using Spectre.Console;

namespace Gym.Cli.Commands;

/// <summary><c>gym envs</c>: lists the registered environments.</summary>
internal static class EnvsCommand
{
    public static Command Create()
    {
        Command command = new("envs", "List the registered environments.");
        command.SetAction(_ =>
        {
            Table table = new Table().AddColumns("id", "family", "oracle", "max steps", "description");
            foreach (EnvRegistration e in GymHome.CreateRegistry().All)
                table.AddRow(Markup.Escape(e.Spec.Id), e.Spec.Family, e.OracleFactory is null ? "no" : "yes", e.Spec.MaxSteps.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(e.Spec.Description));
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }
}
