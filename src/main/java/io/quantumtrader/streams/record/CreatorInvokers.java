package io.quantumtrader.streams.record;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

import tools.jackson.core.Version;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.deser.ValueInstantiator;
import tools.jackson.databind.deser.ValueInstantiators;
import tools.jackson.databind.deser.std.StdValueInstantiator;

/**
 * Calls the creator of every value decoded with properties — a record's canonical constructor, a {@code @JsonCreator}
 * constructor or static factory — through a method handle that takes the argument array, built once per type.
 *
 * <p>Jackson 3 (3.1.7 and 3.3.0) calls such a creator with {@code MethodHandle.invokeWithArguments(Object[])}, which
 * builds a spreading adapter on every call ({@code asSpreader}, {@code MethodType} look-ups): 32 % of the time to
 * decode a tick under C1, the replay's compiler. With the spreader built once, a tick decodes in ~2.3 instead of
 * ~3.2 µs under C1 and ~0.69 instead of ~0.83 µs under C2 (docs/BENCHMARKS.md, 2026-12-04/05 23:52 section). The
 * creator, its arguments and the values Jackson passes are unchanged, and so is what a failing creator gives: its
 * exception, with Jackson's own message ("Cannot construct instance of …, problem: …").
 *
 * <p>Only Jackson's own {@link StdValueInstantiator} is replaced (not a subclass, which may call its creator in its own
 * way), and only when its creator can be turned into a method handle; any other type keeps Jackson's instantiator.
 * Two differences, neither reachable with a record and the default mapper (found by a review that ran ~110 cases
 * against the mapper without this module): a creator that throws a {@code Throwable} that is neither an
 * {@code Exception} nor an {@code Error} (a class's constructor may declare one, a record's cannot) fails the decode
 * like any other creator problem, where Jackson lets it escape undeclared; and with
 * {@code MapperFeature.CAN_OVERRIDE_ACCESS_MODIFIERS} disabled a package-private creator of this package is still
 * reached, where Jackson refuses it.
 */
public final class CreatorInvokers extends ValueInstantiators.Base {

    private CreatorInvokers() {
    }

    /** @return a Jackson module that installs these invokers (the default {@link JsonSerde} mapper has it) */
    public static JacksonModule module() {
        return new JacksonModule() {
            @Override
            public String getModuleName() {
                return "quantum-trader-creator-invokers";
            }

            @Override
            public Version version() {
                return Version.unknownVersion();
            }

            @Override
            public void setupModule(SetupContext context) {
                context.addValueInstantiators(new CreatorInvokers());
            }
        };
    }

    @Override
    public ValueInstantiator modifyValueInstantiator(DeserializationConfig config, BeanDescription.Supplier beanDescRef,
                                                     ValueInstantiator defaultInstantiator) {
        if (defaultInstantiator.getClass() != StdValueInstantiator.class
                || !(defaultInstantiator instanceof StdValueInstantiator std)
                || std.getWithArgsCreator() == null) {
            return defaultInstantiator;
        }
        MethodHandle spread = spreader(std.getWithArgsCreator().getAnnotated());
        return spread == null ? defaultInstantiator : new Spread(std, spread);
    }

    /**
     * @return {@code (Object[]) -> Object} calling {@code creator} with the array's elements as its arguments, or
     *         {@code null} when it is neither a constructor nor a static method, or cannot be reached from here
     */
    static MethodHandle spreader(Object creator) {
        try {
            MethodHandle handle;
            if (creator instanceof Constructor<?> c) {
                handle = MethodHandles.lookup().unreflectConstructor(c);
            } else if (creator instanceof Method m && Modifier.isStatic(m.getModifiers())) {
                handle = MethodHandles.lookup().unreflect(m);
            } else {
                return null;
            }
            int arity = ((Executable) creator).getParameterCount();
            return handle.asFixedArity()
                    .asSpreader(Object[].class, arity)
                    .asType(MethodType.methodType(Object.class, Object[].class));
        } catch (IllegalAccessException | RuntimeException e) {
            return null;   // Jackson's instantiator stays: it reaches the creator its own way
        }
    }

    /** Jackson's instantiator, with its creator called through {@code spread}. */
    private static final class Spread extends StdValueInstantiator {

        private final MethodHandle spread;

        Spread(StdValueInstantiator source, MethodHandle spread) {
            super(source);
            this.spread = spread;
        }

        @Override
        public Object createFromObjectWith(DeserializationContext ctxt, Object[] args) {
            try {
                return (Object) spread.invokeExact(args);
            } catch (Error e) {
                throw e;
            } catch (Throwable e) {
                // as StdValueInstantiator: the creator's problem, wrapped with the type's name
                return ctxt.handleInstantiationProblem(_valueClass, args, rewrapCtorProblem(ctxt, e));
            }
        }
    }
}
