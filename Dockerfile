# Image for k8s/ (quantum-trader-streams:0.1.0): mvn -q -B -DskipTests package && docker build -t quantum-trader-streams:0.1.0 .
FROM eclipse-temurin:17-jre
RUN useradd --uid 10001 --no-create-home --shell /usr/sbin/nologin quantum
COPY target/quantum-trader-streams.jar /app/quantum-trader-streams.jar
USER 10001
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/quantum-trader-streams.jar"]
CMD ["serve"]
