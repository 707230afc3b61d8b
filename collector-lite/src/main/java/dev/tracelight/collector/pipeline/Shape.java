package dev.tracelight.collector.pipeline;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.HashMap;
import java.util.Map;

/**
 * What {@link OtlpWire} must check in one protobuf message type, read once from its descriptor: which fields hold
 * UTF-8 strings, nested messages or packed numbers. Fields of other types (bytes, single numbers) and unknown fields are
 * skipped, as a parser keeps them without looking inside.
 */
final class Shape {
  enum Kind { STRING, MESSAGE, PACKED_VARINT, PACKED_FIXED32, PACKED_FIXED64 }

  /** One checked field; {@code message} is set for {@link Kind#MESSAGE}. */
  record Field(Kind kind, Shape message) {}

  private final String name;
  private final Field[] byNumber;

  private Shape(String name, int maxField) {
    this.name = name;
    this.byNumber = new Field[maxField + 1];
  }

  static Shape of(Descriptor type) {
    return of(type, new HashMap<>());
  }

  /** Builds the shape of a type and of every type it nests; {@code built} closes the cycles (AnyValue, KeyValue...). */
  private static Shape of(Descriptor type, Map<Descriptor, Shape> built) {
    Shape shape = built.get(type);
    if (shape != null) {
      return shape;
    }
    shape = new Shape(type.getName(), type.getFields().stream().mapToInt(FieldDescriptor::getNumber).max().orElse(0));
    built.put(type, shape);
    for (FieldDescriptor f : type.getFields()) {
      shape.byNumber[f.getNumber()] = switch (f.getJavaType()) {
        case STRING -> new Field(Kind.STRING, null); // opentelemetry-proto is proto3: parsers require UTF-8
        case MESSAGE -> new Field(Kind.MESSAGE, of(f.getMessageType(), built));
        case BYTE_STRING -> null;
        default -> f.isRepeated() ? new Field(packing(f.getType()), null) : null;
      };
    }
    return shape;
  }

  private static Kind packing(FieldDescriptor.Type type) {
    return switch (type) {
      case FIXED64, SFIXED64, DOUBLE -> Kind.PACKED_FIXED64;
      case FIXED32, SFIXED32, FLOAT -> Kind.PACKED_FIXED32;
      default -> Kind.PACKED_VARINT;
    };
  }

  String name() {
    return name;
  }

  /** The checked field with this number, or null when it is skipped. */
  Field field(int number) {
    return number < byNumber.length ? byNumber[number] : null;
  }

  /** The shape of the message held by field {@code number}, which the schema says is a message. */
  Shape message(int number) {
    return byNumber[number].message();
  }
}
