using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Core.Recording.Mcap;

/// <summary>
/// JSON Schemas of the clip's channels (and the shadow boxes drawn as Foxglove image annotations). The camera schema has the fields Foxglove's
/// CompressedImage panel reads (timestamp, frame_id, data as base64, format) plus the agent's own
/// fields (sequence, monotonic time, size) that let the clip be restored exactly.
/// </summary>
internal static class McapClipSchemas
{
    public static ReadOnlySpan<byte> CompressedImage => """
        {
          "title": "foxglove.CompressedImage",
          "description": "An encoded camera frame",
          "type": "object",
          "properties": {
            "timestamp": {
              "type": "object",
              "title": "time",
              "description": "Capture time mapped to the wall clock",
              "properties": {
                "sec": { "type": "integer", "minimum": 0 },
                "nsec": { "type": "integer", "minimum": 0, "maximum": 999999999 }
              }
            },
            "frame_id": { "type": "string", "description": "Camera frame of reference" },
            "data": { "type": "string", "contentEncoding": "base64", "description": "Encoded image bytes" },
            "format": { "type": "string", "description": "jpeg, png, webp or avif" },
            "sequence": { "type": "integer", "description": "Frame counter of the source" },
            "monotonic_ns": { "type": "integer", "description": "Agent monotonic time in nanoseconds" },
            "wall_clock": { "type": "string", "format": "date-time", "description": "Wall clock the source reported" },
            "width": { "type": "integer" },
            "height": { "type": "integer" }
          }
        }
        """u8;

    /// <summary>
    /// Foxglove's published <c>foxglove.ImageAnnotations</c> (github.com/foxglove/schemas,
    /// schemas/jsonschema/ImageAnnotations.json): circles, points and labels arrays; times as
    /// {sec, nsec}; points in image pixels from the top-left corner; colours r, g, b, a in 0..1.
    /// Written out here with shared definitions for time, point and colour.
    /// </summary>
    public static ReadOnlySpan<byte> ImageAnnotations => """
        {
          "title": "foxglove.ImageAnnotations",
          "description": "Array of annotations for a 2D image",
          "type": "object",
          "$defs": {
            "time": {
              "type": "object",
              "title": "time",
              "properties": {
                "sec": { "type": "integer", "minimum": 0 },
                "nsec": { "type": "integer", "minimum": 0, "maximum": 999999999 }
              }
            },
            "point2": {
              "title": "foxglove.Point2",
              "type": "object",
              "properties": { "x": { "type": "number" }, "y": { "type": "number" } }
            },
            "color": {
              "title": "foxglove.Color",
              "type": "object",
              "properties": {
                "r": { "type": "number" }, "g": { "type": "number" }, "b": { "type": "number" }, "a": { "type": "number" }
              }
            }
          },
          "properties": {
            "circles": {
              "type": "array",
              "items": {
                "title": "foxglove.CircleAnnotation",
                "type": "object",
                "properties": {
                  "timestamp": { "$ref": "#/$defs/time" },
                  "position": { "$ref": "#/$defs/point2" },
                  "diameter": { "type": "number" },
                  "thickness": { "type": "number" },
                  "fill_color": { "$ref": "#/$defs/color" },
                  "outline_color": { "$ref": "#/$defs/color" }
                }
              }
            },
            "points": {
              "type": "array",
              "items": {
                "title": "foxglove.PointsAnnotation",
                "type": "object",
                "properties": {
                  "timestamp": { "$ref": "#/$defs/time" },
                  "type": {
                    "title": "foxglove.PointsAnnotationType",
                    "oneOf": [
                      { "title": "UNKNOWN", "const": 0 },
                      { "title": "POINTS", "const": 1 },
                      { "title": "LINE_LOOP", "const": 2 },
                      { "title": "LINE_STRIP", "const": 3 },
                      { "title": "LINE_LIST", "const": 4 }
                    ]
                  },
                  "points": { "type": "array", "items": { "$ref": "#/$defs/point2" } },
                  "outline_color": { "$ref": "#/$defs/color" },
                  "outline_colors": { "type": "array", "items": { "$ref": "#/$defs/color" } },
                  "fill_color": { "$ref": "#/$defs/color" },
                  "thickness": { "type": "number" }
                }
              }
            },
            "labels": {
              "type": "array",
              "items": {
                "title": "foxglove.TextAnnotation",
                "type": "object",
                "properties": {
                  "timestamp": { "$ref": "#/$defs/time" },
                  "position": { "$ref": "#/$defs/point2" },
                  "text": { "type": "string" },
                  "font_size": { "type": "number" },
                  "text_color": { "$ref": "#/$defs/color" },
                  "background_color": { "$ref": "#/$defs/color" }
                }
              }
            }
          }
        }
        """u8;

    public static ReadOnlySpan<byte> TriggerEvent => """
        {
          "title": "datacentric.edge.TriggerEvent",
          "description": "A moment the trigger engine found interesting",
          "type": "object",
          "properties": {
            "event_id": { "type": "string" },
            "monotonic_ns": { "type": "integer" },
            "wall_clock": { "type": "string", "format": "date-time" },
            "trigger_set_version": { "type": "integer" },
            "dry_run": { "type": "boolean" },
            "priority": { "type": "integer" },
            "triggers": {
              "type": "array",
              "items": {
                "type": "object",
                "properties": {
                  "trigger_id": { "type": "string" },
                  "expression": { "type": "string" },
                  "priority": { "type": "integer" },
                  "pre_ns": { "type": "integer" },
                  "post_ns": { "type": "integer" }
                }
              }
            }
          }
        }
        """u8;

    public static ReadOnlySpan<byte> Signal(SignalKind kind) => kind switch
    {
        SignalKind.Number => """
            {
              "title": "datacentric.edge.NumberSignal",
              "type": "object",
              "properties": {
                "value": { "type": ["number", "string"], "description": "The number; NaN and infinities as strings" },
                "kind": { "const": "number" },
                "monotonic_ns": { "type": "integer" }
              }
            }
            """u8,
        SignalKind.Bool => """
            {
              "title": "datacentric.edge.BoolSignal",
              "type": "object",
              "properties": {
                "value": { "type": "boolean" },
                "kind": { "const": "bool" },
                "monotonic_ns": { "type": "integer" }
              }
            }
            """u8,
        SignalKind.Text => """
            {
              "title": "datacentric.edge.TextSignal",
              "type": "object",
              "properties": {
                "value": { "type": "string" },
                "kind": { "const": "text" },
                "monotonic_ns": { "type": "integer" }
              }
            }
            """u8,
        SignalKind.Detections => """
            {
              "title": "datacentric.edge.DetectionsSignal",
              "type": "object",
              "properties": {
                "value": {
                  "type": "array",
                  "description": "Boxes in normalised image coordinates (0..1)",
                  "items": {
                    "type": "object",
                    "properties": {
                      "class_id": { "type": "integer" },
                      "score": { "type": "number" },
                      "x": { "type": "number" },
                      "y": { "type": "number" },
                      "width": { "type": "number" },
                      "height": { "type": "number" }
                    }
                  }
                },
                "kind": { "const": "detections" },
                "monotonic_ns": { "type": "integer" }
              }
            }
            """u8,
        SignalKind.Vector => """
            {
              "title": "datacentric.edge.VectorSignal",
              "type": "object",
              "properties": {
                "value": { "type": "array", "items": { "type": ["number", "string"] } },
                "kind": { "const": "vector" },
                "monotonic_ns": { "type": "integer" }
              }
            }
            """u8,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown signal kind."),
    };
}
