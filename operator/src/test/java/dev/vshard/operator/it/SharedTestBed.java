package dev.vshard.operator.it;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives every *IT class the same {@link OperatorTestBed}: one node cluster for the whole run, closed
 * when the run ends. Each class moves its own vShards and leaves the placement as it found it or as
 * its own assertions say.
 */
public final class SharedTestBed implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedTestBed.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == OperatorTestBed.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent(OperatorTestBed.class, type -> new OperatorTestBed(), OperatorTestBed.class);
  }
}
