package dev.usagemetrics.targets.spring;

import org.aopalliance.intercept.MethodInterceptor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.data.repository.core.support.RepositoryFactoryBeanSupport;
import org.springframework.stereotype.Component;

/**
 * Writes down every call of a configured repository method, also those the service makes, as the
 * outermost advice of the repository's own proxy (no extra proxy class): it sees what callers see.
 */
@Component
class RepositoryCallTally implements BeanPostProcessor {

  /** Looked up at the first call: a post-processor's own dependencies are created too early to be processed. */
  private final ObjectProvider<Ledger> ledger;

  RepositoryCallTally(ObjectProvider<Ledger> ledger) {
    this.ledger = ledger;
  }

  @Override
  public Object postProcessBeforeInitialization(Object bean, String beanName) {
    if (bean instanceof RepositoryFactoryBeanSupport<?, ?, ?> factoryBean) {
      MethodInterceptor tally = invocation -> {
        if (!UsageRecordRepository.PERSIST_METHODS.contains(
            invocation.getMethod().getName())) {
          return invocation.proceed();
        }
        try {
          Object result = invocation.proceed();
          ledger.getObject().success(Ledger.View.REPOSITORY);
          return result;
        } catch (Throwable failure) {
          ledger.getObject().failure(Ledger.View.REPOSITORY, failure);
          throw failure;
        }
      };
      factoryBean.addRepositoryFactoryCustomizer(factory -> factory.addRepositoryProxyPostProcessor(
          (proxyFactory, repositoryInformation) -> proxyFactory.addAdvice(0, tally)));
    }
    return bean;
  }
}
