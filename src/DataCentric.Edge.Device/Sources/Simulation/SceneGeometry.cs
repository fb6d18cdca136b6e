namespace DataCentric.Edge.Device.Sources.Simulation;

/// <summary>
/// Where things are drawn in the synthetic camera image, as shares of its width and height: one
/// source for the renderer and for the boxes the simulated controller and the ground truth report.
/// </summary>
public static class SceneGeometry
{
    /// <summary>The horizon's height, from the top.</summary>
    public const float HorizonShare = 0.42f;

    /// <summary>The car's width and height at the near distance (scale 1), and where its bottom sits between horizon and image bottom.</summary>
    public const float CarWidthShare = 0.42f;
    public const float CarHeightShare = 0.30f;
    public const float CarGroundShare = 0.97f;

    /// <summary>The tyres reach this share of the car's height below its body.</summary>
    public const float TyreDropShare = 0.05f;

    /// <summary>The obstacle's apparent size relative to the near distance.</summary>
    public static float ScaleAt(double distanceMetres) => (float)(SyntheticScene.NearMetres / distanceMetres);

    /// <summary>
    /// The car's box, tyres included, normalised to the image (0..1, origin top-left), in the
    /// units of the shadow model's detections.
    /// </summary>
    public static (float X, float Y, float Width, float Height) ObstacleBox(double distanceMetres)
    {
        var scale = ScaleAt(distanceMetres);
        var bottom = HorizonShare + ((1 - HorizonShare) * scale * CarGroundShare);
        var width = CarWidthShare * scale;
        var height = CarHeightShare * scale;
        var top = bottom - height;
        return ((1 - width) / 2, top, width, height * (1 + TyreDropShare));
    }
}
