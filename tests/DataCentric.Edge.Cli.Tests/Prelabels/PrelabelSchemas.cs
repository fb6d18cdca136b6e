using System.Text.Json;
using Json.Schema;

namespace DataCentric.Edge.Cli.Tests.Prelabels;

/// <summary>JSON Schemas of the import formats, written from each tool's own documentation.</summary>
internal static class PrelabelSchemas
{
    /// <summary>
    /// COCO object detection, from https://cocodataset.org/#format-data ("1. Object Detection" and the
    /// common "image", "categories" structures): bbox is [x, y, width, height] in pixels from the
    /// top-left, iscrowd 0 or 1 (0 with a polygon or no segmentation). <c>score</c> is not in that page:
    /// it is the results-format field (https://cocodataset.org/#format-results), allowed here as a number in [0, 1].
    /// </summary>
    public static readonly JsonSchema Coco = JsonSchema.FromText("""
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "type": "object",
          "required": ["images", "annotations", "categories"],
          "properties": {
            "info": { "type": "object" },
            "images": {
              "type": "array",
              "items": {
                "type": "object",
                "required": ["id", "file_name", "width", "height"],
                "properties": {
                  "id": { "type": "integer" },
                  "file_name": { "type": "string", "minLength": 1 },
                  "width": { "type": "integer", "minimum": 1 },
                  "height": { "type": "integer", "minimum": 1 },
                  "date_captured": { "type": "string" }
                }
              }
            },
            "categories": {
              "type": "array",
              "items": {
                "type": "object",
                "required": ["id", "name"],
                "properties": {
                  "id": { "type": "integer" },
                  "name": { "type": "string", "minLength": 1 },
                  "supercategory": { "type": "string" }
                }
              }
            },
            "annotations": {
              "type": "array",
              "items": {
                "type": "object",
                "required": ["id", "image_id", "category_id", "bbox", "area", "iscrowd"],
                "properties": {
                  "id": { "type": "integer" },
                  "image_id": { "type": "integer" },
                  "category_id": { "type": "integer" },
                  "bbox": { "type": "array", "items": { "type": "number", "minimum": 0 }, "minItems": 4, "maxItems": 4 },
                  "area": { "type": "number", "minimum": 0 },
                  "iscrowd": { "enum": [0, 1] },
                  "segmentation": {},
                  "score": { "type": "number", "minimum": 0, "maximum": 1 }
                }
              }
            }
          }
        }
        """);

    /// <summary>
    /// Label Studio tasks with pre-annotations, from https://labelstud.io/guide/predictions and
    /// https://labelstud.io/guide/task_format: a list of tasks, each with <c>data</c> (the object's
    /// value, here <c>image</c>) and <c>predictions</c> (model_version, score, result); a
    /// rectanglelabels result has from_name, to_name, type, original_width/height and a value whose
    /// x, y, width, height are percent of the image (0–100), rotation in degrees, and its labels.
    /// </summary>
    public static readonly JsonSchema LabelStudioTasks = JsonSchema.FromText("""
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "type": "array",
          "items": {
            "type": "object",
            "required": ["data"],
            "properties": {
              "data": {
                "type": "object",
                "required": ["image"],
                "properties": { "image": { "type": "string", "minLength": 1 } }
              },
              "predictions": {
                "type": "array",
                "items": {
                  "type": "object",
                  "required": ["result"],
                  "properties": {
                    "model_version": { "type": "string", "minLength": 1 },
                    "score": { "type": "number" },
                    "result": {
                      "type": "array",
                      "items": {
                        "type": "object",
                        "required": ["from_name", "to_name", "type", "value"],
                        "properties": {
                          "id": { "type": "string" },
                          "from_name": { "type": "string" },
                          "to_name": { "type": "string" },
                          "type": { "const": "rectanglelabels" },
                          "original_width": { "type": "integer", "minimum": 1 },
                          "original_height": { "type": "integer", "minimum": 1 },
                          "image_rotation": { "type": "number" },
                          "score": { "type": "number", "minimum": 0, "maximum": 1 },
                          "value": {
                            "type": "object",
                            "required": ["x", "y", "width", "height", "rectanglelabels"],
                            "properties": {
                              "x": { "type": "number", "minimum": 0, "maximum": 100 },
                              "y": { "type": "number", "minimum": 0, "maximum": 100 },
                              "width": { "type": "number", "minimum": 0, "maximum": 100 },
                              "height": { "type": "number", "minimum": 0, "maximum": 100 },
                              "rotation": { "type": "number" },
                              "rectanglelabels": { "type": "array", "items": { "type": "string" }, "minItems": 1 }
                            }
                          }
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
        """);

    public static List<string> Errors(JsonSchema schema, string json)
    {
        using var document = JsonDocument.Parse(json);
        var results = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return results.IsValid
            ? []
            : [.. (results.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))];
    }
}
