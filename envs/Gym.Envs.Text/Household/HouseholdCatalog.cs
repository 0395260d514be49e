namespace Gym.Envs.Text.Household;

/// <summary>A kind of receptacle in a scene: how many there may be and whether it opens.</summary>
internal sealed record ReceptacleKind(string Name, int MaxCount, bool Openable = false, bool HoldsObjects = true);

/// <summary>A scene: its receptacles and the object types found in it.</summary>
internal sealed record SceneKind(string Name, ReceptacleKind[] Receptacles, string[] Objects);

/// <summary>The scenes, objects and object properties of the household world (in the spirit of ALFWorld).</summary>
internal static class HouseholdCatalog
{
    public static readonly SceneKind[] Scenes =
    [
        new("kitchen",
            [new("cabinet", 4, Openable: true), new("countertop", 2), new("drawer", 3, Openable: true), new("fridge", 1, Openable: true),
             new("microwave", 1, Openable: true), new("sinkbasin", 1), new("stoveburner", 2), new("shelf", 2), new("diningtable", 1), new("garbagecan", 1)],
            ["apple", "bread", "bowl", "cup", "egg", "knife", "lettuce", "mug", "pan", "plate", "potato", "spoon", "tomato"]),
        new("livingroom",
            [new("sofa", 1), new("coffeetable", 1), new("tvstand", 1), new("shelf", 3), new("drawer", 2, Openable: true), new("armchair", 1),
             new("sidetable", 2), new("cabinet", 2, Openable: true), new("garbagecan", 1)],
            ["book", "remotecontrol", "keychain", "vase", "pillow", "newspaper", "statue", "creditcard", "box", "watch"]),
        new("bedroom",
            [new("bed", 1), new("desk", 1), new("dresser", 1), new("drawer", 3, Openable: true), new("shelf", 2), new("sidetable", 1),
             new("garbagecan", 1), new("safe", 1, Openable: true)],
            ["book", "cd", "pen", "pencil", "alarmclock", "cellphone", "laptop", "keychain", "creditcard", "pillow"]),
        new("bathroom",
            [new("sinkbasin", 1), new("bathtubbasin", 1), new("countertop", 1), new("cabinet", 3, Openable: true), new("toilet", 1),
             new("towelholder", 1), new("shelf", 2), new("garbagecan", 1)],
            ["soapbar", "towel", "cloth", "spraybottle", "toiletpaper", "candle", "sponge", "soapbottle"]),
    ];

    public static readonly HashSet<string> Cleanable = ["apple", "bowl", "cup", "egg", "knife", "lettuce", "mug", "pan", "plate", "potato", "spoon", "tomato", "cloth", "soapbar", "sponge"];
    public static readonly HashSet<string> Heatable = ["apple", "bread", "cup", "egg", "mug", "plate", "potato", "tomato"];
    public static readonly HashSet<string> Coolable = ["apple", "bread", "cup", "egg", "lettuce", "mug", "pan", "plate", "potato", "tomato"];

    /// <summary>The appliance that changes an object's state for each task type (null for plain placing).</summary>
    public static string? ApplianceFor(HouseholdTaskType type) => type switch
    {
        HouseholdTaskType.Clean => "sinkbasin",
        HouseholdTaskType.Heat => "microwave",
        HouseholdTaskType.Cool => "fridge",
        _ => null,
    };

    public static HashSet<string>? PropertyFor(HouseholdTaskType type) => type switch
    {
        HouseholdTaskType.Clean => Cleanable,
        HouseholdTaskType.Heat => Heatable,
        HouseholdTaskType.Cool => Coolable,
        _ => null,
    };
}

/// <summary>The goal types.</summary>
public enum HouseholdTaskType
{
    /// <summary>Put an object in or on a receptacle type.</summary>
    Place,
    /// <summary>Clean it in a sink basin first.</summary>
    Clean,
    /// <summary>Heat it in a microwave first.</summary>
    Heat,
    /// <summary>Cool it in a fridge first.</summary>
    Cool,
}
