using Gym.Core;

namespace Gym.Envs.Text.Household;

/// <summary>
/// The scripted household oracle. It is privileged: it regenerates the task's world from its seed (as the
/// environment does) to know where objects are, plans fetch, treat and place, and then acts only through the
/// text commands a model would use.
/// </summary>
public sealed class HouseholdOracle : IAgent
{
    /// <inheritdoc />
    public string Name => "oracle";

    /// <inheritdoc />
    public ValueTask<AgentTurn> ActAsync(AgentContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.AgentState is not List<string> plan)
        {
            plan = Plan(HouseholdEnvironment.WorldOf(context.Task, context.Task.Seed));
            context.AgentState = plan;
        }
        string command = context.StepIndex < plan.Count ? plan[context.StepIndex] : "look";
        return ValueTask.FromResult(AgentTurn.FromText(command));
    }

    /// <summary>The commands that solve <paramref name="world"/> from its initial state.</summary>
    public static List<string> Plan(HouseholdWorld world)
    {
        ArgumentNullException.ThrowIfNull(world);
        // Prefer a target object that is out in the open; any instance will do.
        HouseholdWorld.Item item = world.Items.Where(i => i.Kind == world.TargetObject && i.In is not null)
            .OrderBy(i => i.In!.Openable ? 1 : 0).First();
        HouseholdWorld.Receptacle source = item.In!;
        HouseholdWorld.Receptacle destination = world.Receptacles.Where(r => r.Kind == world.TargetReceptacle)
            .OrderBy(r => r.Openable ? 1 : 0).First();
        List<string> plan = [$"go to {source.Name}"];
        HashSet<string> opened = [];
        if (source.Openable)
        {
            plan.Add($"open {source.Name}");
            opened.Add(source.Name);
        }
        plan.Add($"take {item.Name} from {source.Name}");
        string? appliance = HouseholdCatalog.ApplianceFor(world.TaskType);
        string here = source.Name;
        if (appliance is not null)
        {
            string applianceName = world.Receptacles.First(r => r.Kind == appliance).Name;
            if (applianceName != here)
                plan.Add($"go to {applianceName}");
            plan.Add($"{world.TaskType.ToString().ToLowerInvariant()} {item.Name} with {applianceName}");
            here = applianceName;
        }
        if (here != destination.Name)
            plan.Add($"go to {destination.Name}");
        if (destination.Openable && !opened.Contains(destination.Name))
            plan.Add($"open {destination.Name}");
        plan.Add($"put {item.Name} in/on {destination.Name}");
        return plan;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
