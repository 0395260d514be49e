using Gym.Core;

namespace Gym.Envs.Text.Household;

/// <summary>Builds a household scene and a goal from a seed.</summary>
public static class HouseholdGenerator
{
    /// <summary>Generates a world; <paramref name="scenes"/> and <paramref name="taskTypes"/> restrict the choice when given.</summary>
    public static HouseholdWorld Generate(long seed, IReadOnlyCollection<string>? scenes = null, IReadOnlyCollection<HouseholdTaskType>? taskTypes = null, int objects = 10)
    {
        if (objects is < 3 or > 40)
            throw new ArgumentOutOfRangeException(nameof(objects), $"A household scene holds 3..40 objects (got {objects}).");
        SceneKind[] allowed = [.. HouseholdCatalog.Scenes.Where(s => scenes is null || scenes.Count == 0 || scenes.Contains(s.Name))];
        if (allowed.Length == 0)
            throw new ArgumentException($"No household scene matches [{string.Join(", ", scenes!)}]; scenes are {string.Join(", ", HouseholdCatalog.Scenes.Select(s => s.Name))}.", nameof(scenes));
        SeededRandom random = new(seed, stream: 0x4005E);
        for (int attempt = 0; attempt < 1000; attempt++)
        {
            HouseholdWorld? world = TryGenerate(random, random.Pick(allowed), taskTypes, objects);
            if (world is not null)
                return world;
        }
        throw new InvalidOperationException($"Could not generate a household task from seed {seed} with the given scenes and task types.");
    }

    private static HouseholdWorld? TryGenerate(SeededRandom random, SceneKind scene, IReadOnlyCollection<HouseholdTaskType>? taskTypes, int objectCount)
    {
        HouseholdWorld world = new() { Scene = scene.Name };
        foreach (ReceptacleKind kind in scene.Receptacles)
        {
            int count = kind.MaxCount == 1 ? 1 : random.Next(1, kind.MaxCount + 1);
            for (int i = 1; i <= count; i++)
                world.Receptacles.Add(new HouseholdWorld.Receptacle($"{kind.Name} {i}", kind.Openable));
        }
        Dictionary<string, int> numbering = [];
        for (int i = 0; i < objectCount; i++)
        {
            string kind = random.Pick(scene.Objects);
            int n = numbering[kind] = numbering.GetValueOrDefault(kind) + 1;
            world.Items.Add(new HouseholdWorld.Item($"{kind} {n}") { In = random.Pick(world.Receptacles) });
        }

        HouseholdTaskType[] types = [.. Enum.GetValues<HouseholdTaskType>()
            .Where(t => taskTypes is null || taskTypes.Count == 0 || taskTypes.Contains(t))
            .Where(t => HouseholdCatalog.ApplianceFor(t) is not { } a || world.Receptacles.Any(r => r.Kind == a))];
        if (types.Length == 0)
            return null;
        HouseholdTaskType type = random.Pick(types);
        HashSet<string>? property = HouseholdCatalog.PropertyFor(type);
        string[] candidates = [.. world.Items.Select(i => i.Kind).Distinct().Where(k => property is null || property.Contains(k)).Order(StringComparer.Ordinal)];
        if (candidates.Length == 0)
            return null;
        string target = random.Pick(candidates);
        string? appliance = HouseholdCatalog.ApplianceFor(type);
        // Destinations: any receptacle type except the bin and the appliance the task uses, and (for plain
        // placing) none that already holds the target, so no task is solved at the start.
        string[] destinations = [.. world.Receptacles.Select(r => r.Kind).Distinct()
            .Where(k => k != "garbagecan" && k != appliance && k != "microwave")
            .Where(k => type != HouseholdTaskType.Place || !world.Items.Any(i => i.Kind == target && i.In?.Kind == k))
            .Order(StringComparer.Ordinal)];
        if (destinations.Length == 0)
            return null;
        world.TaskType = type;
        world.TargetObject = target;
        world.TargetReceptacle = random.Pick(destinations);
        return world.GoalReached ? null : world;
    }
}
